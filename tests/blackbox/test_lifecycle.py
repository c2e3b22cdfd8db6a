"""The lifecycle as a newcomer meets it: a case card with clocks and allowed actions, an action through the
API, a stale version refused with the current card, the same actions from the command line."""
import datetime

import jsonschema
import requests

from conftest import run
from test_serve import SLUG, schema


def _new_case(demo_server, external_id):
    headers = {"Authorization": "Bearer " + demo_server["token"]}
    received = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)).isoformat(timespec="seconds")
    r = requests.post(f"{demo_server['base']}/api/v1/municipalities/{SLUG}/cases", headers=headers,
                      json={"channel": "hotline", "text": "Не горит фонарь у остановки «Школьная»", "received_at": received,
                            "external_id": external_id})
    assert r.status_code == 201, r.text
    return r.json(), headers


def test_card_action_and_conflict_through_the_api(demo_server):
    created, headers = _new_case(demo_server, "BB-LC-1")
    url = f"{demo_server['base']}/api/v1/municipalities/{SLUG}/cases/{created['id']}"
    card = requests.get(url, headers=headers).json()
    jsonschema.validate(card, schema("Case"))
    kinds = [c["kind"] for c in card["clocks"]]
    assert kinds == ["take_in_work", "final_answer"], kinds
    assert card["clocks"][1]["rule_title"] == "8 рабочих дней"
    assert "take_in_work" in [a["action"] for a in card["allowed_actions"]]

    r = requests.post(url + "/actions/take_in_work", headers=headers, json={"version": card["version"]})
    assert r.status_code == 200, r.text
    after = r.json()
    jsonschema.validate(after, schema("Case"))
    assert after["status"] == "in_work" and after["status_title"] == "В работе"
    assert after["clocks"][0]["outcome"] in ("met", "missed")

    stale = requests.post(url + "/actions/take_in_work", headers=headers, json={"version": card["version"]})
    assert stale.status_code == 409
    body = stale.json()
    jsonschema.validate(body, schema("Problem"))
    assert "другой пользователь" in body["detail"]
    assert body["current"]["status"] == "in_work"


def test_case_commands_and_monitor(demo_server, binary):
    created, _ = _new_case(demo_server, "BB-LC-2")
    env = {"OTKLIK_SQLITE_PATH": str(demo_server["workdir"] / "otklik.sqlite")}
    number = str(created["number"])
    show = run(binary, "case", "show", "--municipality", SLUG, "--number", number, "--user", "demo.pos", env=env)
    assert show.returncode == 0, show.stderr + show.stdout
    assert "Новое" in show.stdout and "Взять в работу: до" in show.stdout and "take_in_work" in show.stdout

    act = run(binary, "case", "act", "--municipality", SLUG, "--number", number, "--user", "demo.pos",
              "--action", "take_in_work", env=env)
    assert act.returncode == 0, act.stderr + act.stdout
    assert "«Взять в работу» выполнено, статус — «В работе»" in act.stdout

    refused = run(binary, "case", "act", "--municipality", SLUG, "--number", number, "--user", "demo.analyst",
                  "--action", "close", "--data", '{"result":"rejected"}', env=env)
    assert refused.returncode != 0
    assert "Доступ запрещён" in refused.stdout + refused.stderr

    monitor = run(binary, "monitor", env=env)
    assert monitor.returncode == 0, monitor.stderr + monitor.stdout
    assert "Контроль сроков:" in monitor.stdout
