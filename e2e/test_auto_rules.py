"""Auto-rules in the browser: a rule written in the form, tried on past cases, saved, and routing the
next message that arrives."""
import datetime
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import SLUG
from test_case_flow import Browser


def test_rule_written_tried_saved_and_routing_a_new_message(server, driver):
    b = Browser(driver, server["base"])
    b.login("demo.mcu")
    driver.get(f"{server['base']}/m/{SLUG}/admin/rules")
    new = driver.find_element(By.ID, "new-rule")
    new.find_element(By.TAG_NAME, "summary").click()
    marker = "e2e" + uuid.uuid4().hex[:6]
    new.find_element(By.NAME, "name").send_keys("Скамейки — благоустройству (" + marker + ")")
    new.find_element(By.NAME, "words").send_keys("скамейка\nлавочка")
    org = Select(new.find_element(By.NAME, "organisation_id"))
    choice = [o for o in org.options if o.get_attribute("value")][0]
    org_name = choice.text.strip().lstrip("— ").strip()
    org.select_by_value(choice.get_attribute("value"))
    new.find_element(By.NAME, "tags").send_keys(marker)

    # Tried on the past first: the page says how many would have matched and writes nothing.
    b.follow(new.find_element(By.CSS_SELECTOR, "button[value=dry-run]"))
    summary = driver.find_element(By.ID, "dry-run").text
    assert "Ничего не записано" in summary and "подошло бы" in summary, summary
    b.shot("22-auto-rule-dry-run")

    new = driver.find_element(By.ID, "new-rule")
    assert new.get_attribute("open") is not None, "форма осталась открытой с введённым"
    b.follow(new.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert "добавлено" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    rules = driver.find_element(By.ID, "rules").text
    assert marker in rules and "«скамейка» или «лавочка»" in rules, rules
    b.logout()

    # The next message about a bench goes to that organisation, and the history tells why.
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases",
                      headers={"Authorization": "Bearer " + server["token"]},
                      json={"channel": "pos", "external_id": "E2E-R-" + marker,
                            "text": "В сквере у школы сломаны все лавочки, присесть негде.",
                            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")})
    assert r.status_code == 201, r.text
    assert marker in r.json()["tags"], r.json()
    b.login("demo.pos")
    driver.get(f"{server['base']}/m/{SLUG}/cases/{r.json()['id']}")
    b.wait(EC.presence_of_element_located((By.ID, "case-status")))
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Автоправило" in main and "система (автоправило)" in main and org_name in main, main
    b.shot("23-case-routed-by-rule")
    b.logout()
