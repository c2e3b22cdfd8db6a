"""Clusters of similar messages in the browser: two reports of one pit arrive and become one problem; the
operator opens the group, links a third message by number, takes it out again and merges the rest as
duplicates of the main case."""
import datetime
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import SLUG
from test_case_flow import Browser


def post(server, marker, n, text, address):
    r = requests.post(f"{server['base']}/api/v1/municipalities/{SLUG}/cases",
                      headers={"Authorization": "Bearer " + server["token"]},
                      json={"channel": "pos", "external_id": f"E2E-CL-{marker}-{n}", "text": text,
                            "location": {"address": address},
                            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")})
    assert r.status_code == 201, r.text
    return r.json()


def test_similar_messages_become_one_problem_and_are_merged(server, driver):
    marker = uuid.uuid4().hex[:6]
    address = f"ул. Проверочная-{marker}, д. 12"
    first = post(server, marker, 1, "Огромная яма на дороге у дома 12, машины бьют колёса, просим срочно заделать", address)
    second = post(server, marker, 2, "Огромная яма на дороге у дома 12, машины бьют колёса! Заделайте уже", f"улица Проверочная-{marker} 12")
    third = post(server, marker, 3, "Во дворе дома 12 после ремонта теплотрассы не восстановлен газон", f"ул. Проверочная-{marker}, д. 14")
    assert second["cluster_id"] == first["id"], second
    assert third.get("cluster_id") is None, third

    b = Browser(driver, server["base"])
    b.login("demo.pos")
    driver.get(f"{server['base']}/m/{SLUG}/cases/{second['id']}")
    panel = b.wait(EC.presence_of_element_located((By.ID, "cluster-panel"))).text
    assert "Входит в группу из 2 обращ." in panel and f"№{first['number']}" in panel, panel
    history = driver.find_element(By.TAG_NAME, "main").text
    assert f"Похоже на обращение №{first['number']}" in history and "система (поиск похожих)" in history, history
    b.follow(driver.find_element(By.ID, "cluster-link"))
    members = driver.find_element(By.ID, "cluster-members").text
    assert f"№{first['number']} основное" in members and f"№{second['number']}" in members, members
    assert driver.find_element(By.ID, "answer-all").get_attribute("disabled") is not None, "ответа основного ещё нет"
    b.shot("24-cluster")

    # A third message about the same yard, linked by hand from its card, then taken out from the group page.
    driver.get(f"{server['base']}/m/{SLUG}/cases/{third['id']}")
    driver.find_element(By.ID, "cluster-with").send_keys(str(second["number"]))
    b.follow(driver.find_element(By.CSS_SELECTOR, "form[action$='/cluster'] button[type=submit]"))
    assert f"включено в группу обращения №{second['number']}" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert "Входит в группу из 3 обращ." in driver.find_element(By.ID, "cluster-panel").text
    b.follow(driver.find_element(By.ID, "cluster-link"))
    rows = driver.find_elements(By.CSS_SELECTOR, "#cluster-members tbody tr")
    row = [r for r in rows if f"№{third['number']}" in r.text][0]
    b.follow(row.find_element(By.XPATH, ".//button[contains(., 'Исключить из группы')]"))
    assert "исключено из группы" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert f"№{third['number']}" not in driver.find_element(By.ID, "cluster-members").text

    # Merge: the second message is closed as a duplicate of the main one.
    b.follow(driver.find_element(By.ID, "merge"))
    flash = driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert f"Отмечены дубликатами основного обращения: №{second['number']}" in flash, flash
    assert "дубликат" in driver.find_element(By.ID, "cluster-members").text
    driver.get(f"{server['base']}/m/{SLUG}/clusters")
    assert f"№{first['number']}" in driver.find_element(By.ID, "clusters").text
    b.logout()
