"""The README's run command: a newcomer starts Otklik with the demo municipality and uses the API."""
import json
import pathlib

import jsonschema
import requests
from openapi_spec_validator import validate

from conftest import DEMO_PASSWORD, ROOT

SPEC = json.loads((ROOT / "Sources/OtklikServer/Resources/openapi.json").read_text(encoding="utf-8"))
SLUG = "svetloyarsk-demo"


def schema(name):
    """A component schema with its $refs resolvable by jsonschema."""
    return {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}


def test_openapi_document_is_valid_and_served(demo_server):
    validate(SPEC)
    served = requests.get(demo_server["base"] + "/openapi.json").json()
    assert served == SPEC


def test_first_start_prints_administrator_and_demo_credentials(demo_server):
    out = demo_server["output"]
    assert "Логин:               admin" in out
    assert "demo.mcu" in out and "demo.exec.zhkh" in out and "demo.region" in out
    assert "данные вымышленные" in out


def test_demo_serves_at_least_5000_cases_matching_the_contract(demo_server):
    headers = {"Authorization": "Bearer " + demo_server["token"]}
    url = f"{demo_server['base']}/api/v1/municipalities/{SLUG}/cases"
    total, cursor, channels = 0, None, set()
    while True:
        params = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = requests.get(url, headers=headers, params=params).json()
        if total == 0:
            jsonschema.validate(page, schema("CasePage"))
        total += len(page["items"])
        channels.update(item["channel"] for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert total >= 5000
    assert len(channels) == 12


def test_signing_in_with_printed_credentials(demo_server):
    s = requests.Session()
    r = s.post(demo_server["base"] + "/api/v1/session", json={"login": "demo.exec.zhkh", "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    jsonschema.validate(r.json(), schema("Session"))
    cases = s.get(f"{demo_server['base']}/api/v1/municipalities/{SLUG}/cases", params={"limit": 50}).json()["items"]
    orgs = {c["organisation_id"] for c in cases}
    assert len(orgs) <= 3, "исполнитель УЖКХ видит только УЖКХ и подведомственные"
    admin = requests.Session()
    r = admin.post(demo_server["base"] + "/api/v1/session", json={"login": "admin", "password": demo_server["admin_password"]})
    assert r.json()["must_change_password"] is True


def test_errors_are_russian_problem_json(demo_server):
    headers = {"Authorization": "Bearer " + demo_server["token"], "Content-Type": "application/json"}
    url = f"{demo_server['base']}/api/v1/municipalities/{SLUG}/cases"
    r = requests.post(url, headers=headers, data='{"channel": "pos", "text": "x", "received_at": "2026-01-01 10:00"}')
    assert r.status_code == 422
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    jsonschema.validate(body, schema("Problem"))
    assert body["errors"][0]["field"] == "received_at"
    assert "часового пояса" in body["errors"][0]["reason"]
    r = requests.post(url, headers=headers, data=b"x" * (40 << 20))
    assert r.status_code == 413
    assert r.json()["title"] == "Слишком большой запрос"
    r = requests.get(url, headers={"Authorization": "Bearer otk_wrong"})
    assert r.status_code == 401 and r.json()["title"] == "Неверный API-токен"
