"""A call to the hotline from registration to closing, entirely in the browser (no API): what a newcomer
does with the README's run command and the printed demo logins."""
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ARTIFACTS, SLUG
from test_case_flow import Browser


def test_hotline_call_registered_worked_and_closed_in_the_browser(server, driver):
    b = Browser(driver, server["base"])
    marker = "звонок-" + uuid.uuid4().hex[:6]
    b.login("demo.pos")
    b.follow(driver.find_element(By.LINK_TEXT, "Новое обращение"))
    Select(driver.find_element(By.ID, "case-channel")).select_by_visible_text("Горячая линия")
    driver.find_element(By.ID, "case-text").send_keys(f"Течёт крыша в подъезде дома 12 по ул. Садовой ({marker})")
    driver.find_element(By.ID, "case-author_name").send_keys("Дозвонов Игорь (e2e)")
    driver.find_element(By.ID, "case-author_phone").send_keys("+7 900 000-00-03")
    driver.find_element(By.ID, "case-address").send_keys("ул. Садовая, 12")
    b.shot("20-new-case-form")
    b.follow(driver.find_element(By.CSS_SELECTOR, "form[action$='/cases/new'] button[type=submit]"))
    assert "зарегистрировано" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    card_url = driver.current_url
    assert b.status() == "Новое"

    b.act("take_in_work")
    b.act("assign", selects={"organisation_id": "Управление жилищно-коммунального хозяйства"})
    assert b.status() == "Назначено исполнителю"
    b.logout()

    b.login("demo.exec.zhkh")
    driver.get(card_url)
    b.act("submit_answer", fields={"text": "Кровля над подъездом отремонтирована 23 ноября."})
    b.logout()

    b.login("demo.pos")
    driver.get(card_url)
    b.act("approve")
    b.act("publish")
    assert b.status() == "Ожидает оценки"
    b.act("record_feedback", selects={"rating": "5 — отлично"})
    assert b.status() == "Закрыто"
    facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Решено" in facts and "5 из 5" in facts
    b.shot("21-case-closed")

    # The same inbox on a tablet held upright.
    driver.set_window_size(820, 1180)
    driver.get(f"{server['base']}/m/{SLUG}/inbox")
    driver.save_screenshot(str(ARTIFACTS / "22-inbox-tablet.png"))
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "без горизонтальной прокрутки"
    driver.set_window_size(1366, 768)
    b.logout()
