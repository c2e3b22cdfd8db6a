"""Information risks in the browser: the risk officer registers a risk from a link (a wrong link first:
the form keeps what was typed), the alert chat «МЦУ-ПИЛОТ» receives it (a local server that speaks the
Telegram Bot API records the posts), verification, the official response and its publication with links,
two measurements of the reaction and closing as «отработан»; then the campaign calendar and the official
pages registry with a broken ПОС widget link."""
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import DEMO_PASSWORD, SLUG
from test_case_flow import Browser

TOKEN = "123456789:E2E-fake-token-abcdefghij"
CHAT = -1009000000001


class FakeBotAPI:
    """`POST /bot{token}/sendMessage` is recorded; `getUpdates` has nothing to hand out."""

    def __init__(self):
        self.sent = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if not self.path.startswith(f"/bot{TOKEN}/"):
                    return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                if self.path.endswith("/sendMessage"):
                    outer.sent.append((body.get("chat_id"), body.get("text")))
                    return self.reply(200, {"ok": True, "result": {"message_id": len(outer.sent)}})
                return self.reply(200, {"ok": True, "result": []})

            def reply(self, code, payload):
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture()
def bot(server):
    fake = FakeBotAPI()
    s = requests.Session()
    signed = s.post(f"{server['base']}/api/v1/session", json={"login": "demo.admin", "password": DEMO_PASSWORD})
    assert signed.status_code == 200, signed.text
    s.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
    made = s.post(f"{server['base']}/api/v1/municipalities/{SLUG}/connectors",
                  json={"kind": "telegram", "name": "Бот МЦУ (e2e)", "secret": TOKEN, "api_base": fake.base, "risk_chat_id": str(CHAT)})
    assert made.status_code == 201, made.text
    yield fake
    s.delete(f"{server['base']}/api/v1/municipalities/{SLUG}/connectors/{made.json()['id']}")
    fake.close()


def fill(driver, values):
    for name, value in values.items():
        el = driver.find_element(By.NAME, name)
        el.clear()
        el.send_keys(value)


def test_risk_from_link_to_closing_with_the_alert_chat(server, driver, bot):
    marker = uuid.uuid4().hex[:6]
    title = f"Слух о закрытии поликлиники {marker}"
    b = Browser(driver, server["base"])
    b.login("demo.risk")
    driver.get(f"{server['base']}/m/{SLUG}/risks")
    board = b.wait(EC.presence_of_element_located((By.ID, "risk-board"))).text
    assert "Видео с горой мусора у школы № 2" in board and "Конфликт вокруг публичных слушаний" in board, board
    b.shot("30-risk-board")
    b.follow(driver.find_element(By.ID, "new-risk"))

    # A link without http(s): refused, what was typed stays.
    fill(driver, {"source_url": "vk.com/wall-1_2", "title": title, "description": "Пишут, что поликлинику закроют с января",
                  "source_community": "Подслушано Светлоярск (демо)"})
    driver.find_element(By.CSS_SELECTOR, "#rf-crit option[value='high']").click()
    b.follow(driver.find_element(By.ID, "risk-save"))
    assert "не похоже на ссылку" in driver.find_element(By.CSS_SELECTOR, ".field-error").text
    assert driver.find_element(By.ID, "rf-title").get_attribute("value") == title
    fill(driver, {"source_url": "https://vk.com/wall-100000001_900"})
    b.follow(driver.find_element(By.ID, "risk-save"))
    flash = driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert "зарегистрирован" in flash and "Сообщение отправлено в алерт-чат" in flash, flash
    number = int(driver.find_element(By.TAG_NAME, "h1").text.split("№")[1].split(":")[0])
    chat, text = bot.sent[-1]
    assert chat == CHAT
    assert text.startswith(f"🟠 Новый информационный риск №{number} · Светлоярский муниципальный округ (демо)\nКритичность: высокая · первая реакция до "), text
    assert f"\n{title}\nПишут, что поликлинику закроют с января\n" in text
    assert "Источники:\n1. ВКонтакте · Подслушано Светлоярск (демо) — https://vk.com/wall-100000001_900" in text

    # Verification, the response, publication with links.
    fill(driver, {"note": "Запрос в управление здравоохранения"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-verify button"))
    assert driver.find_element(By.ID, "risk-status").text == "верификация"
    fill(driver, {"response_text": "Поликлиника работает в обычном режиме, закрытие не планируется.",
                  "platforms": "официальная страница администрации ВКонтакте"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-prepare button"))
    fill(driver, {"links": "https://vk.com/wall-100000002_500 Официальная страница администрации\nhttps://svetloyarsk-vesti.example/news/clinic"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-publish button"))
    assert "Сообщение отправлено в алерт-чат" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert bot.sent[-1][1] == (f"✅ Отработка информационного риска №{number} · Светлоярский муниципальный округ (демо)\n«{title}»\n"
                               "Текст отработки:\nПоликлиника работает в обычном режиме, закрытие не планируется.\n"
                               "Площадки: официальная страница администрации ВКонтакте\nПубликации:\n"
                               "1. https://vk.com/wall-100000002_500\n2. https://svetloyarsk-vesti.example/news/clinic")

    # The reaction: two measurements; closing is refused while it grows.
    fill(driver, {"publications": "3", "comments": "40", "negative_percent": "50"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-snapshot button"))
    fill(driver, {"publications": "4", "comments": "50", "negative_percent": "50"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-snapshot button"))
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-close button"))
    assert "реакция растёт" in driver.find_element(By.ID, "form-error").text
    fill(driver, {"publications": "4", "comments": "52", "negative_percent": "40"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-snapshot button"))
    assert driver.find_elements(By.CSS_SELECTOR, "#h-reaction ~ .chart-panel svg, .chart-panel svg"), "график реакции"
    fill(driver, {"summary": "Слух опровергнут, новых публикаций нет"})
    b.follow(driver.find_element(By.CSS_SELECTOR, "#f-close button"))
    assert driver.find_element(By.ID, "risk-status").text == "отработан"
    assert bot.sent[-1][1].startswith(f"☑️ Риск №{number} отработан · ")
    timeline = driver.find_element(By.ID, "risk-timeline").text
    assert "Алерт-чат: доставлено" in timeline and "Риск отработан" in timeline, timeline
    b.shot("31-risk-card")
    b.logout()


def test_campaign_calendar_and_official_pages(server, driver):
    b = Browser(driver, server["base"])
    b.login("demo.risk")
    driver.get(f"{server['base']}/m/{SLUG}/campaigns")
    assert "Осторожно, гололёд (демо)" in driver.find_element(By.ID, "campaign-calendar").text
    assert "Паводок" in driver.find_element(By.ID, "threat-list").get_attribute("innerHTML")
    fill(driver, {"title": "Тонкий лёд на реке", "goal": "Дети не выходят на неокрепший лёд", "starts_on": "25.12.2026", "ends_on": "20.12.2026"})
    b.follow(driver.find_element(By.ID, "campaign-save"))
    assert "не может закончиться раньше" in driver.find_element(By.CSS_SELECTOR, ".field-error").text
    fill(driver, {"ends_on": "15.01.2027"})
    b.follow(driver.find_element(By.ID, "campaign-save"))
    assert "запланирована" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    b.shot("32-campaigns")
    driver.get(f"{server['base']}/m/{SLUG}/public-pages")
    registry = driver.find_element(By.ID, "public-pages").text
    assert "Администрация в Одноклассниках (демо)" in registry and "ссылка с ошибкой" in registry, registry
    assert "opaId 900001" in registry
    b.shot("33-public-pages")
    b.logout()
