"""Governance of the centre in the browser: the coordinator plans a meeting, sets the agenda, marks it held,
records a decision (a day off first: refused, the text stays), signs the protocol (read back as DOCX), and the
assignment is reported by the executor organisation's head and taken off control."""
import datetime
import io
import re
import uuid
import zipfile

import requests
from selenium.webdriver.common.by import By

from conftest import SLUG
from test_case_flow import Browser


def fill(driver, scope, values):
    for name, value in values.items():
        el = scope.find_element(By.NAME, name)
        el.clear()
        el.send_keys(value)


def next_weekday(start, weekday):
    d = start
    while d.weekday() != weekday:
        d += datetime.timedelta(days=1)
    return d


def test_meeting_protocol_assignment_to_execution(server, driver):
    marker = uuid.uuid4().hex[:6]
    b = Browser(driver, server["base"])
    b.login("demo.coordinator")
    driver.get(f"{server['base']}/m/{SLUG}/centre")
    assert "Лебедева И. В. (демо)" in driver.find_element(By.ID, "members").text
    b.follow(driver.find_element(By.ID, "meetings-link"))
    today = datetime.date.today()
    day = next_weekday(today + datetime.timedelta(days=1), 2)  # a Wednesday
    fill(driver, driver.find_element(By.ID, "meeting-form"), {"starts_at": day.strftime("%d.%m.%Y") + " 10:00", "place": f"зал {marker}"})
    b.follow(driver.find_element(By.ID, "meeting-save"))
    assert "запланировано" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    meeting_url = driver.current_url
    driver.find_element(By.CSS_SELECTOR, "details:has(#item-form) summary").click()
    fill(driver, driver.find_element(By.ID, "item-form"), {"title": f"О жалобах на освещение {marker}", "speaker": "Шацкий А. А. (демо)"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]"))
    b.follow(driver.find_element(By.ID, "meeting-hold"))
    assert "проведено" in driver.find_element(By.ID, "meeting-status").text

    # A decision with a Sunday deadline is refused; the typed text stays.
    text = f"Восстановить уличное освещение на ул. Садовой и доложить МЦУ ({marker})."
    sunday = next_weekday(day, 6)
    form = driver.find_element(By.CSS_SELECTOR, "#agenda form[action$='/decisions']")
    driver.execute_script("arguments[0].closest('details').open = true", form)
    fill(driver, form, {"text": text, "due_on": sunday.strftime("%d.%m.%Y")})
    org = [o for o in form.find_elements(By.CSS_SELECTOR, "select[name=organisation_id] option") if "Отдел энергетики" in o.text][0]
    org.click()
    b.follow(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "нерабочий день" in driver.find_element(By.ID, "form-error").text
    form = driver.find_element(By.CSS_SELECTOR, "#agenda form[action$='/decisions']")
    assert form.find_element(By.NAME, "text").get_attribute("value") == text
    friday = next_weekday(day, 4)
    fill(driver, form, {"due_on": friday.strftime("%d.%m.%Y")})
    org = [o for o in form.find_elements(By.CSS_SELECTOR, "select[name=organisation_id] option") if "Отдел энергетики" in o.text][0]
    org.click()
    b.follow(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert text in driver.find_element(By.ID, "agenda").text
    b.follow(driver.find_element(By.ID, "meeting-sign"))
    flash = driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert "Протокол подписан" in flash and "Поручения на контроле: №" in flash, flash
    b.shot("40-meeting")

    # The protocol, downloaded with the browser's session and read back.
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    href = driver.find_element(By.ID, "protocol-link").get_attribute("href")
    docx = requests.get(href, cookies=cookies)
    assert docx.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode("utf-8")
    assert "ПРОТОКОЛ №" in xml and text in xml and f"Срок: {friday.strftime('%d.%m.%Y')}." in xml

    number = re.search(r"№ (\d+)", flash.split("Поручения на контроле:")[1]).group(1)
    driver.get(f"{server['base']}/m/{SLUG}/assignments?filter=open")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "#assignments tbody tr") if f"№ {number}" in r.text][0]
    assignment_url = row.find_element(By.TAG_NAME, "a").get_attribute("href")
    b.logout()

    # The executor organisation reports.
    b.login("demo.exec.energy")
    driver.get(assignment_url)
    report = driver.find_element(By.ID, "f-report")
    fill(driver, report, {"text": "Заменены 12 светильников, освещение восстановлено."})
    b.follow(report.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "отчёт на проверке" in driver.find_element(By.ID, "assignment-status").text
    b.logout()

    b.login("demo.coordinator")
    driver.get(assignment_url)
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-accept button[type=submit]"))
    assert "исполнено, снято с контроля" in driver.find_element(By.ID, "assignment-status").text
    assert "Отчёт принят" in driver.find_element(By.ID, "assignment-history").text
    b.shot("41-assignment")
    b.logout()
