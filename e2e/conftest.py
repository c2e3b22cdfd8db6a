"""End-to-end tests of the web workspace in a real headless Chromium (Debian's chromium + chromium-driver).

The server is the built `otklik` binary on a fresh SQLite file with the fictional demo municipality; the
tests drive pages the way an operator and an executor do. Screenshots of the main pages are written to
e2e/artifacts/ (kept by CI as the run's artifacts)."""
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
import serverprocess  # noqa: E402  (tests/serverprocess.py, shared with tests/blackbox)

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINARY = ROOT / ".build" / "debug" / "otklik"
ARTIFACTS = ROOT / "e2e" / "artifacts"
DEMO_PASSWORD = "e2e-демо-пароль-2026"
SLUG = "svetloyarsk-demo"


def chromium_paths():
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver") or ("/usr/lib/chromium/chromedriver" if os.path.exists("/usr/lib/chromium/chromedriver") else None)
    return browser, driver


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"нет собранной программы {BINARY}: сначала swift build")
    workdir = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"OTKLIK_SQLITE_PATH": str(workdir / "otklik.sqlite"), "OTKLIK_DEMO_PASSWORD": DEMO_PASSWORD,
                "OTKLIK_BCRYPT_COST": "4", "OTKLIK_MONITOR_INTERVAL": "0"})
    # A small demo municipality, processed through the lifecycle by the loader itself: nothing runs in the
    # background to race with the browser.
    loaded = subprocess.run([str(BINARY), "demo", "--cases", "120"], capture_output=True, text=True, env=env, cwd=workdir, timeout=600)
    assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-2000:]
    token = re.search(r"otk_[A-Za-z0-9_-]+", loaded.stdout).group(0)
    proc, base, _ = serverprocess.start([str(BINARY), "serve"], env, workdir, timeout=120)
    yield {"base": base, "token": token, "workdir": workdir}
    serverprocess.stop(proc)


@pytest.fixture(scope="session")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, chromedriver = chromium_paths()
    if not browser or not chromedriver:
        pytest.fail("нет Chromium или chromedriver: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=ru-RU"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    d.implicitly_wait(0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield d
    d.quit()
