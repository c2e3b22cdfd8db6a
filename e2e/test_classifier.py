"""The classifier in the browser: the demo's models on the administration page, a training started with
«Обучить сейчас» followed to its end, and the top-3 suggestions on a new case's card applied with one click."""
import datetime
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import SLUG
from test_case_flow import Browser


def test_models_training_and_suggestions_on_the_card(server, driver):
    b = Browser(driver, server["base"])

    # The МЦУ head sees the three models the demo trained, and retrains them.
    b.login("demo.mcu")
    driver.get(f"{server['base']}/m/{SLUG}/admin/classifier")
    models = driver.find_element(By.ID, "models").text
    for title in ["Категория", "Тематический блок", "Ответственная организация"]:
        assert title in models, models
    assert "демо-данные" in models
    b.follow(driver.find_element(By.ID, "train-now"))
    assert "Обучение началось" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    # The page polls the API while the training runs and reloads itself when it ends.
    b.wait(lambda d: not d.find_elements(By.ID, "training-under-way") and "вручную" in d.find_element(By.ID, "models").text, timeout=120)
    b.shot("20-classifier-models")
    b.logout()

    # A new message about street lights: the operator sees the suggestions and applies the first category.
    external = "E2E-CL-" + uuid.uuid4().hex[:8]
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases",
                      headers={"Authorization": "Bearer " + server["token"]},
                      json={"channel": "pos", "external_id": external,
                            "text": "Добрый вечер. Во дворе дома 12 по ул. Проверочной (e2e) уже неделю не горят фонари, темно и страшно.",
                            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")})
    assert r.status_code == 201, r.text
    case = r.json()
    b.login("demo.pos")
    driver.get(f"{server['base']}/m/{SLUG}/cases/{case['id']}")
    panel = b.wait(EC.presence_of_element_located((By.ID, "suggestions")))
    groups = panel.find_elements(By.CSS_SELECTOR, ".suggestion-group")
    assert [g.get_attribute("data-target") for g in groups] == ["category", "block", "organisation"], panel.text
    category = groups[0]
    items = category.find_elements(By.CSS_SELECTOR, "li")
    assert len(items) == 3, category.text
    def percent(text):  # «37 %», «более 99 %», «менее 1 %»
        number = int(text.split()[-2])
        return number + 0.5 if text.startswith("более") else number - 0.5 if text.startswith("менее") else number
    percents = [percent(i.find_element(By.CSS_SELECTOR, ".confidence").text) for i in items]
    assert percents == sorted(percents, reverse=True) and percents[0] > 0, percents
    b.shot("21-case-suggestions")
    if case.get("category_id"):
        # Applied automatically above the threshold: the history says so, with the confidence.
        assert "система (классификатор)" in driver.find_element(By.TAG_NAME, "main").text
    else:
        name = items[0].text.split(" — ")[0]
        b.follow(items[0].find_element(By.CSS_SELECTOR, "button"))
        assert "Изменить классификацию" in driver.find_element(By.CSS_SELECTOR, ".flash").text
        facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert name in facts, facts
    b.logout()
