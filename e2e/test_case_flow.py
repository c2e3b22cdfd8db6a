"""An appeal from intake to повторное рассмотрение, worked in a real browser by the channel operator and
the executor, as decree 003 §2.1–2.2 describes the ПОС / «Инцидент Менеджмент» processing."""
import datetime
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ARTIFACTS, DEMO_PASSWORD, SLUG

XSS_TEXT = ('Во дворе дома 7 по ул. Тестовой (проверка e2e) нет освещения <script>window.__xss = 1</script>'
            '<img src="x" onerror="window.__xss = 2"> — просим починить фонари.')


class Browser:
    def __init__(self, driver, base):
        self.d = driver
        self.base = base

    def wait(self, condition, timeout=20):
        return WebDriverWait(self.d, timeout).until(condition)

    def follow(self, element):
        """Clicks a link or a submit button and waits until the next page has replaced this one and
        loaded (a click returns before the navigation finishes). The old page is marked in its window
        object: a new page has a fresh one. Driver errors while the page changes are retried."""
        self.d.execute_script("window.__otklikOldPage = true")
        element.click()

        def next_page_loaded(d):
            return d.execute_script("return window.__otklikOldPage === undefined && document.readyState === 'complete'")

        WebDriverWait(self.d, 20, ignored_exceptions=(WebDriverException,)).until(next_page_loaded)

    def shot(self, name):
        height = self.d.execute_script("return document.body.scrollHeight")
        self.d.set_window_size(1366, max(768, min(height + 40, 4000)))
        self.d.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        self.d.set_window_size(1366, 768)

    def login(self, login):
        self.d.delete_all_cookies()
        self.d.get(self.base + "/login")
        self.d.find_element(By.ID, "login").send_keys(login)
        self.d.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
        self.follow(self.d.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "header.top")))

    def logout(self):
        self.d.find_element(By.CSS_SELECTOR, ".userbox button").click()
        self.wait(EC.presence_of_element_located((By.ID, "login")))

    def status(self):
        return self.d.find_element(By.ID, "case-status").text

    def act(self, action, fields=None, selects=None, script_values=None):
        """Opens the action's panel on the card, fills it and submits; returns the flash text."""
        panel = self.d.find_element(By.ID, "act-" + action)
        if panel.get_attribute("open") is None:
            panel.find_element(By.TAG_NAME, "summary").click()
        for name, value in (fields or {}).items():
            el = panel.find_element(By.NAME, name)
            el.clear()
            el.send_keys(value)
        for name, text in (selects or {}).items():
            # Tree choices are indented with «— »: match the name itself.
            select = Select(panel.find_element(By.NAME, name))
            matches = [o for o in select.options if o.text.strip().lstrip("— ").strip() == text]
            assert matches, f"нет варианта «{text}» в списке {name}: {[o.text for o in select.options]}"
            select.select_by_value(matches[0].get_attribute("value"))
        for name, value in (script_values or {}).items():
            self.d.execute_script("arguments[0].value = arguments[1]", panel.find_element(By.NAME, name), value)
        self.follow(panel.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        flashes = self.d.find_elements(By.CSS_SELECTOR, ".flash")
        return flashes[0].text if flashes else ""


@pytest.fixture(scope="module")
def case(server):
    """A new appeal from «Инцидент Менеджмент» with markup in its text, registered through the API."""
    external = "E2E-" + uuid.uuid4().hex[:8]
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases",
                      headers={"Authorization": "Bearer " + server["token"]},
                      json={"channel": "incident_manager", "external_id": external, "text": XSS_TEXT,
                            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                            "category": "Водоснабжение и водоотведение", "platform": "vk",
                            "source_url": "https://vk.com/wall-1_e2e", "author": {"name": "Проверкин Пётр (e2e)"}})
    assert r.status_code == 201, r.text
    return r.json()


def test_operator_and_executor_work_a_case_to_reopening(server, driver, case):
    b = Browser(driver, server["base"])
    card_url = f"{server['base']}/m/{SLUG}/cases/{case['id']}"

    # The operator finds the new appeal in the inbox by its text and opens it.
    b.login("demo.pos")
    assert "/inbox" in driver.current_url
    b.shot("01-inbox-operator")
    driver.get(f"{server['base']}/m/{SLUG}/inbox?q=проверка+e2e")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    assert len(rows) == 1, "поиск по тексту находит ровно это обращение"
    rows[0].find_element(By.CSS_SELECTOR, "td.text a").click()
    b.wait(EC.presence_of_element_located((By.ID, "case-status")))
    assert driver.current_url == card_url

    # Markup in a citizen's text is shown as text and never runs.
    assert "<script>window.__xss = 1</script>" in driver.find_element(By.ID, "citizen-text").text
    assert driver.execute_script("return window.__xss === undefined")
    assert b.status() == "Новое"
    b.shot("02-case-new")

    # Take in work, then assign to the water utility's executor with a deadline.
    assert "Взять в работу" in b.act("take_in_work")
    assert b.status() == "В работе"
    deadline_day = datetime.date.today() + datetime.timedelta(days=2)
    flash = b.act("assign", selects={"organisation_id": "МУП «Светлоярский водоканал»",
                                     "executor_id": "Исполнитель Водоканала (демо) (МУП «Светлоярский водоканал»)"},
                  script_values={"deadline": deadline_day.isoformat() + "T12:00"})
    assert "Назначить исполнителя" in flash, flash
    assert b.status() == "Назначено исполнителю"
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]
    clocks = driver.find_element(By.CSS_SELECTOR, "#h-clocks").find_element(By.XPATH, "..").text
    assert f"{deadline_day.day} {months[deadline_day.month - 1]} {deadline_day.year}, 12:00" in clocks, clocks
    b.shot("03-case-assigned")
    b.logout()

    # The executor sees it among the cases to execute and answers.
    b.login("demo.exec.water")
    assert "/inbox" in driver.current_url
    assert "К исполнению" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.find_elements(By.CSS_SELECTOR, f"table.queue a[href$='{case['id']}']"), "назначенное обращение во входящих исполнителя"
    b.shot("04-inbox-executor")
    driver.get(card_url)
    flash = b.act("submit_answer", fields={"text": "Фонари проверены, заменены две лампы.",
                                           "attachments": "https://example.org/e2e/photo-1.jpg"})
    assert "согласование" in flash, flash
    assert b.status() == "Ответ на согласовании"
    b.logout()

    # The operator returns it with a comment.
    b.login("demo.pos")
    driver.get(card_url)
    b.act("return_for_rework", fields={"comment": "Укажите адрес и дату замены"})
    assert b.status() == "Возвращено на доработку"
    b.logout()

    # The executor sees the comment and fixes the answer.
    b.login("demo.exec.water")
    driver.get(card_url)
    assert "Укажите адрес и дату замены" in driver.find_element(By.CSS_SELECTOR, ".answer.returned .review-comment").text
    b.shot("05-case-returned-executor")
    b.act("submit_answer", fields={"text": "Во дворе дома 7 по ул. Тестовой 21 ноября заменены две лампы уличного освещения."})
    assert b.status() == "Ответ на согласовании"
    b.logout()

    # The operator approves and publishes; the author's negative comment reopens the case.
    b.login("demo.pos")
    driver.get(card_url)
    b.act("approve")
    assert b.status() == "Ответ согласован"
    b.act("publish", fields={"url": "https://vk.com/wall-1_e2e?reply=2"})
    assert b.status() == "Ожидает оценки"
    b.act("record_feedback", fields={"text": "Фонари снова не горят, ничего не сделано"})
    assert b.status() == "Повторное рассмотрение"
    history = driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for step in ["Взять в работу", "Назначить исполнителя", "Направить ответ на согласование", "Вернуть на доработку",
                 "Согласовать ответ", "Опубликовать ответ", "Внести оценку заявителя"]:
        assert step in history, step
    b.shot("06-case-reopened")
    b.logout()

    # An executor of another organisation cannot open it, not even by its address.
    b.login("demo.exec.roads")
    driver.get(card_url)
    assert "Не найдено" in driver.find_element(By.TAG_NAME, "h1").text
    driver.get(f"{server['base']}/m/{SLUG}/cases?q=проверка+e2e")
    assert not driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    b.logout()


def test_stale_form_says_so_and_keeps_what_was_typed(server, driver, case):
    """Two operators on one card: the second one's form is stale and the page says so."""
    b = Browser(driver, server["base"])
    b.login("demo.im")
    card_url = f"{server['base']}/m/{SLUG}/cases/{case['id']}"
    driver.get(card_url)
    # Meanwhile someone else takes it in work through the API.
    version = driver.find_element(By.CSS_SELECTOR, "input[name=version]").get_attribute("value")
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases/{case['id']}/actions/take_in_work",
                      headers={"Authorization": "Bearer " + server["token"]}, json={"version": int(version)})
    assert r.status_code == 200, r.text
    b.act("take_in_work", fields={"comment": "мой комментарий"})
    conflict = driver.find_element(By.ID, "conflict").text
    assert "изменилось" in conflict and "другой пользователь" in conflict, conflict
    assert b.status() == "В работе", "страница показывает текущее состояние"
    b.shot("07-stale-form")
    b.logout()


def test_sign_in_errors_are_russian_and_lock_out(server, driver):
    b = Browser(driver, server["base"])
    driver.delete_all_cookies()
    driver.get(server["base"] + "/m/" + SLUG + "/inbox")
    assert "/login" in driver.current_url, "страницы требуют входа"
    driver.find_element(By.ID, "login").send_keys("demo.analyst")
    driver.find_element(By.ID, "password").send_keys("неверный-пароль")
    b.follow(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert "Неверный логин или пароль" in driver.find_element(By.CSS_SELECTOR, ".flash.error").text
    assert driver.find_element(By.ID, "login").get_attribute("value") == "demo.analyst", "логин сохраняется"
    b.shot("00-login-error")
