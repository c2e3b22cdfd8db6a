"""The analyst's situation screen in a real browser: figures with their formulas, SVG charts, a click from a
figure down to the cases behind it, and a filter by channel."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SLUG
from test_case_flow import Browser


def test_dashboard_figures_formula_charts_and_drill_down(server, driver):
    b = Browser(driver, server["base"])
    b.login("demo.analyst")
    driver.get(f"{server['base']}/m/{SLUG}/dashboard")
    b.follow(driver.find_element(By.LINK_TEXT, "Год"))
    main = driver.find_element(By.TAG_NAME, "main")
    volume = driver.find_element(By.ID, "kpi-volume")
    total = int(volume.find_element(By.CLASS_NAME, "kpi-value").text.replace("\u202f", "").replace(" ", ""))
    assert total > 0, "демо-округ получил обращения за год"
    for title in ["Взяты в работу в срок", "Оценки 4–5", "Просрочено сейчас", "Решено (против «разъяснено»)"]:
        assert title in main.text, title

    # The formula is one click away.
    satisfaction = driver.find_element(By.ID, "kpi-satisfaction")
    satisfaction.find_element(By.TAG_NAME, "summary").click()
    assert "не менее 60 %" in satisfaction.find_element(By.CSS_SELECTOR, "details p").text

    charts = driver.find_elements(By.CSS_SELECTOR, ".chart-panel svg")
    assert len(charts) == 7 and "По каналам" in driver.page_source, "столбцы, линии, слои, малые множители и полосы"
    assert driver.find_elements(By.CSS_SELECTOR, "svg polyline"), "линия поступления по неделям"
    assert "Для периодов длиннее квартала рост не оценивается" in driver.find_element(By.ID, "growth").text
    b.shot("20-dashboard")

    # The figure's link opens exactly its cases in the list.
    b.follow(driver.find_element(By.ID, "kpi-overdue_now").find_element(By.CLASS_NAME, "drill"))
    assert "/cases?" in driver.current_url and "overdue=true" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, "table tbody tr"), "просроченные обращения показаны списком"

    # A channel slice: the volume can only shrink.
    driver.get(f"{server['base']}/m/{SLUG}/dashboard")
    b.follow(driver.find_element(By.LINK_TEXT, "Год"))
    Select(driver.find_element(By.ID, "d-channel")).select_by_visible_text("Горячая линия")
    b.follow(driver.find_element(By.ID, "apply-filter"))
    hotline = int(driver.find_element(By.ID, "kpi-volume").find_element(By.CLASS_NAME, "kpi-value").text.replace("\u202f", "").replace(" ", ""))
    assert 0 <= hotline <= total
    assert "channel=hotline" in driver.current_url

    # The map: the demo's territories drawn from their boundaries; a territory opens its cases.
    driver.get(f"{server['base']}/m/{SLUG}/dashboard")
    b.follow(driver.find_element(By.ID, "map-link"))
    territories = driver.find_elements(By.CSS_SELECTOR, "#map svg a path")
    assert len(territories) == 7, "семь территорий демо-округа"
    assert int(driver.find_element(By.ID, "located").text.replace("\u202f", "").replace(" ", "")) > 0
    b.shot("23-map")
    href = driver.find_element(By.CSS_SELECTOR, "#map-table tbody a").get_attribute("href")
    driver.get(href)
    assert "territory=" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, "table tbody tr"), "обращения территории показаны списком"
    b.logout()
