"""The administrator's pages in a real browser, and an answer template used on a case card (app.js fills
the answer with the template the server has already completed for that case)."""
import datetime
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SLUG
from test_case_flow import Browser


def test_administrator_pages_and_an_answer_template_on_the_card(server, driver):
    b = Browser(driver, server["base"])
    b.login("demo.admin")
    admin = f"{server['base']}/m/{SLUG}/admin"
    driver.get(admin)
    for title in ["Организации", "Пользователи и роли", "Регламент каналов", "Производственный календарь", "Журнал аудита"]:
        assert title in driver.find_element(By.TAG_NAME, "main").text, title

    driver.get(admin + "/templates")
    driver.find_element(By.ID, "new-title").send_keys("E2E: принято")
    driver.find_element(By.ID, "new-body").send_keys("Здравствуйте, {{имя}}! Обращение №{{номер}} принято, ответ до {{срок}}.")
    b.follow(driver.find_element(By.CSS_SELECTOR, "form[action$='/admin/templates'] button[type=submit]"))
    assert "сохранён" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    b.shot("10-admin-templates")
    for page, name in [("/books/organisations", "11-admin-organisations"), ("/users", "12-admin-users"),
                       ("/regulation", "13-admin-regulation"), ("/calendar", "14-admin-calendar"), ("/audit", "15-admin-audit")]:
        driver.get(admin + page)
        assert driver.find_element(By.TAG_NAME, "h1").text
        b.shot(name)
    b.logout()

    # The operator answers a new appeal with the template: the author's name and number are filled in.
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases", headers={"Authorization": "Bearer " + server["token"]},
                      json={"channel": "incident_manager", "external_id": "E2E-T-" + uuid.uuid4().hex[:6],
                            "text": "Прошу убрать снег во дворе (проверка шаблона)",
                            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                            "author": {"name": "Шаблонова Анна (e2e)"}})
    assert r.status_code == 201, r.text
    case = r.json()
    b.login("demo.pos")
    driver.get(f"{server['base']}/m/{SLUG}/cases/{case['id']}")
    driver.find_element(By.CSS_SELECTOR, "#act-first_response summary").click()
    Select(driver.find_element(By.ID, "fr-template")).select_by_visible_text("E2E: принято")
    text = driver.find_element(By.ID, "fr-text").get_attribute("value")
    assert text.startswith(f"Здравствуйте, Шаблонова Анна (e2e)! Обращение №{case['number']} принято"), text
    b.follow(driver.find_element(By.CSS_SELECTOR, "#act-first_response button[type=submit]"))
    assert "Первичный ответ" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert "Шаблонова Анна (e2e)!" in driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    b.logout()
