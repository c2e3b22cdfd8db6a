"""A ПОС export written by another program (openpyxl) goes through the import pages in Chromium: upload,
preview with an unmapped rubric, the administrator maps it from the preview's link, re-check, commit,
the progress bar, the result and the XLSX report."""
import datetime
import uuid

import openpyxl
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import ARTIFACTS, SLUG
from test_case_flow import Browser

POS_HEADER = ["Номер", "Номер ЕПГУ", "Источник", "Верхнеуровневый ЛКО", "Категория", "Подкатегория", "Факт",
              "Организация, в которую поступило сообщение", "Организация, в которой находится сообщение",
              "Дата поступления", "Дата планируемого завершения работ", "Дата фактического завершения работ",
              "Стадия", "Статус", "Просрочено", "Фаст-трек", "ФЗ", "Заявитель выбрал подачу по 59-ФЗ",
              "Тип решения", "Оценка ответа заявителем", "Повторное рассмотрение", "ФИО координатора",
              "ФИО исполнителя", "ФИО руководителя", "Текст сообщения"]
ROWS = 6000  # three chunks of the background run: the progress bar has something to show


def write_pos_export(path, prefix):
    """The ПОС layout: a merged title line, the header, dates as Excel dates, «-» for empty."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Сообщения"
    sheet.append(["Выгрузка сообщений ПОС (демонстрационные данные, e2e)"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(POS_HEADER))
    sheet.append(POS_HEADER)
    start = datetime.datetime(2026, 11, 2, 9, 0)
    for i in range(ROWS):
        category = ("Дороги", "Содержание дорог", "Ямы на дороге")
        if i == 7:
            category = ("Озеленение", "Покос травы", "Высокая трава")
        received = start + datetime.timedelta(minutes=3 * i)  # 2–14 November: none in the future
        row = {"Номер": f"{prefix}-{i:05d}", "Номер ЕПГУ": "-", "Источник": "Госуслуги",
               "Верхнеуровневый ЛКО": "Администрация Светлоярского муниципального округа",
               "Категория": category[0], "Подкатегория": category[1], "Факт": category[2],
               "Организация, в которую поступило сообщение": "Администрация Светлоярского муниципального округа",
               "Организация, в которой находится сообщение": "Отдел дорожного хозяйства и благоустройства",
               "Дата поступления": "31.02.2026" if i == 11 else received,
               "Дата планируемого завершения работ": "20.12.2026", "Дата фактического завершения работ": "-",
               "Стадия": "Исполнение", "Статус": "В работе", "Просрочено": "Нет", "Фаст-трек": "Нет", "ФЗ": "-",
               "Заявитель выбрал подачу по 59-ФЗ": "Нет", "Тип решения": "-", "Оценка ответа заявителем": "-",
               "Повторное рассмотрение": "Нет", "ФИО координатора": "Координаторова К. К. (демо)",
               "ФИО исполнителя": "Исполнителев И. И. (демо)", "ФИО руководителя": "Руководителев Р. Р. (демо)",
               "Текст сообщения": (f"Трава по пояс во дворе, метка {prefix} (e2e, демо)" if i == 7 else
                                   f"Яма на дороге у дома {i % 90 + 1} по ул. Вымышленной (e2e, демо)")}
        sheet.append([row[h] for h in POS_HEADER])
        if isinstance(row["Дата поступления"], datetime.datetime):
            sheet.cell(row=sheet.max_row, column=10).number_format = "DD.MM.YYYY HH:MM"
    book.save(path)


def test_pos_export_imported_through_the_pages(server, driver):
    b = Browser(driver, server["base"])
    prefix = "E2E" + uuid.uuid4().hex[:5].upper()
    path = server["workdir"] / f"pos-{prefix}.xlsx"
    write_pos_export(path, prefix)

    # The operator reads the file: a preview, nothing written yet.
    b.login("demo.pos")
    b.follow(driver.find_element(By.LINK_TEXT, "Загрузка выгрузок"))
    Select(driver.find_element(By.ID, "imp-profile")).select_by_visible_text("ПОС: выгрузка сообщений")
    driver.find_element(By.ID, "imp-file").send_keys(str(path))
    b.follow(driver.find_element(By.CSS_SELECTOR, "form[action$='/imports'] button[type=submit]"))
    assert driver.find_elements(By.ID, "preview-summary"), driver.find_element(By.TAG_NAME, "main").text[:800]
    assert "Предпросмотр" in driver.find_element(By.ID, "preview-summary").text
    assert driver.find_element(By.ID, "preview-total").text == str(ROWS)
    assert driver.find_element(By.ID, "preview-invalid").text.startswith("1 ")
    assert "«Дата поступления»" in driver.find_element(By.ID, "preview-problems").text
    unmapped = driver.find_element(By.ID, "preview-unmapped").text
    assert "Озеленение / Покос травы / Высокая трава" in unmapped and "администратора" in unmapped
    mapping = driver.find_element(By.ID, "preview-mapping").text
    assert "Номер в источнике Номер" in mapping and "Дата поступления Дата поступления" in mapping
    run_url = driver.current_url
    b.shot("30-import-preview")
    b.logout()

    # The administrator follows the preview's link, maps the rubric, and checks the file again.
    b.login("demo.admin")
    driver.get(run_url)
    b.follow(driver.find_element(By.LINK_TEXT, "сопоставить"))
    assert driver.find_element(By.ID, "map-foreign").get_attribute("value") == "Озеленение / Покос травы / Высокая трава"
    target = Select(driver.find_element(By.ID, "map-target"))
    target.select_by_value([o.get_attribute("value") for o in target.options if o.text.strip().lstrip("— ").strip() == "Благоустройство дворов"][0])
    b.shot("31-import-mapping")
    b.follow(driver.find_element(By.ID, "save-mapping"))
    assert "теперь загружается как «Благоустройство дворов»" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    driver.get(run_url)
    b.follow(driver.find_element(By.XPATH, "//button[normalize-space()='Проверить заново']"))
    assert not driver.find_elements(By.ID, "preview-unmapped"), "после сопоставления пропусков нет"

    # Commit: the progress bar, then the result and the report.
    b.follow(driver.find_element(By.ID, "commit-import"))
    bar = driver.find_element(By.ID, "import-progress")
    assert bar.get_attribute("max") == str(ROWS)
    b.shot("32-import-progress")
    b.wait(lambda d: "Загрузка завершена" in d.find_element(By.ID, "import-progress-panel").text, timeout=300)
    counts = {el.get_attribute("data-count"): el.text for el in driver.find_elements(By.CSS_SELECTOR, "[data-count]")}
    assert counts == {"created": str(ROWS - 1), "updated": "0", "unchanged": "0", "rejected": "1"}, counts
    assert driver.find_element(By.ID, "import-progress").get_attribute("value") == str(ROWS)
    b.shot("33-import-done")
    link = driver.find_element(By.ID, "import-report").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    report = requests.get(link, cookies=cookies, timeout=60)
    assert report.status_code == 200 and report.content[:2] == b"PK"
    rows = list(openpyxl.load_workbook(__import__("io").BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    rejected = [r for r in rows if r[1] == "отклонено"]
    assert len(rejected) == 1 and rejected[0][0] == 14 and "Дата поступления" in rejected[0][4], rejected

    # The imported case is in the queue with the mapped rubric.
    driver.get(f"{server['base']}/m/{SLUG}/cases?q=метка+{prefix}")
    b.follow(driver.find_element(By.CSS_SELECTOR, "table.queue td.text a"))
    assert "Благоустройство дворов" in driver.find_element(By.TAG_NAME, "main").text

    # The administrator's profile list and the shipped ПОС profile.
    driver.get(f"{server['base']}/m/{SLUG}/admin/import-profiles")
    b.follow(driver.find_element(By.LINK_TEXT, "ПОС: выгрузка сообщений"))
    assert driver.find_element(By.ID, "col-external_id").get_attribute("value") == "Номер"
    b.shot("34-import-profile")
    b.logout()
