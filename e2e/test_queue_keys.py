"""The queue with the keyboard, as an operator works through a morning's intake, and the live countdown."""
import datetime
import re
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import SLUG
from test_case_flow import Browser


def test_operator_takes_cases_in_work_with_the_keyboard(server, driver):
    marker = "клавиши-" + uuid.uuid4().hex[:6]
    now = datetime.datetime.now(datetime.timezone.utc)
    for i in range(2):
        r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases", headers={"Authorization": "Bearer " + server["token"]},
                          json={"channel": "pos", "external_id": f"E2E-K-{marker}-{i}", "text": f"Яма на дороге ({marker}, {i})",
                                "received_at": (now - datetime.timedelta(minutes=10 - i)).isoformat(timespec="seconds")})
        assert r.status_code == 201, r.text
    b = Browser(driver, server["base"])
    b.login("demo.pos")
    driver.get(f"{server['base']}/m/{SLUG}/inbox?q={marker}")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    assert len(rows) == 2
    # The countdown is written by app.js from the deadline and the municipality's working periods.
    countdown = rows[0].find_element(By.CSS_SELECTOR, "time.countdown").text
    assert re.match(r"^(осталось|просрочено на) \d+", countdown), countdown

    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("?")
    assert driver.find_element(By.ID, "help").is_displayed(), "справка по клавишам"
    body.send_keys("?")
    body.send_keys("j")   # first row
    body.send_keys("x")
    body.send_keys("j")   # second row
    body.send_keys("x")
    boxes = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody input[type=checkbox]")
    assert all(box.is_selected() for box in boxes), "x отмечает текущую строку"
    old = driver.find_element(By.TAG_NAME, "html")
    body.send_keys("t")   # take the marked ones in work
    b.wait(EC.staleness_of(old))
    assert "Взято в работу: 2 обращения" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    driver.get(f"{server['base']}/m/{SLUG}/cases?q={marker}")
    statuses = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.queue .tag.status")]
    assert statuses == ["В работе", "В работе"], statuses

    # Enter opens the current row.
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
    b.wait(EC.staleness_of(old))
    assert "/cases/" in driver.current_url and marker in driver.find_element(By.ID, "citizen-text").text
    b.logout()
