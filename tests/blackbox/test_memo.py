"""The weekly analytic memo of a running server, read back by independent programs: python-docx opens the
DOCX and finds the same figures the API reports, and LibreOffice converts it to PDF. The server holds a
demo municipality already walked through the lifecycle (`otklik demo`, then `serve` with no background
work), so the figures stand still while they are compared."""
import os
import re
import shutil
import subprocess
import time

import docx
import pytest
import requests

import serverprocess
from test_serve import SLUG

PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture(scope="module")
def still_server(binary, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("memo-server")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update({"OTKLIK_SQLITE_PATH": str(workdir / "otklik.sqlite"), "OTKLIK_DEMO_PASSWORD": "memo-пароль-2026",
                "OTKLIK_BCRYPT_COST": "4", "OTKLIK_MONITOR_INTERVAL": "0"})
    loaded = subprocess.run([binary, "demo", "--cases", "300"], capture_output=True, text=True, env=env, cwd=workdir, timeout=600)
    assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-2000:]
    token = re.search(r"otk_[A-Za-z0-9_-]+", loaded.stdout).group(0)
    proc, base, _ = serverprocess.start([binary, "serve"], env, workdir, timeout=120)
    yield {"base": base, "token": token}
    serverprocess.stop(proc)


def get(demo_server, path, **params):
    r = requests.get(f"{demo_server['base']}/api/v1/municipalities/{SLUG}{path}", params=params,
                     headers={"Authorization": "Bearer " + demo_server["token"]}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    return r


def figures(demo_server):
    return {f["title"]: f["text"] for f in get(demo_server, "/analytics/kpis", **PERIOD).json()["figures"]}


@pytest.fixture(scope="module")
def memo(still_server, tmp_path_factory):
    demo_server = still_server
    # «Просрочено сейчас» moves when a deadline passes: take the memo between two identical readings.
    for _ in range(10):
        before = figures(demo_server)
        r = get(demo_server, "/analytics/memo.docx", **PERIOD)
        after = figures(demo_server)
        if before == after:
            break
        time.sleep(3)
    else:
        pytest.fail("показатели менялись при каждом чтении")
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert "attachment" in r.headers.get("Content-Disposition", "")
    path = tmp_path_factory.mktemp("memo") / "zapiska.docx"
    path.write_bytes(r.content)
    return {"path": path, "figures": after}


def test_memo_opens_in_python_docx_with_the_api_figures(still_server, memo):
    demo_server = still_server
    d = docx.Document(str(memo["path"]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Еженедельная аналитическая записка" in text
    headings = [p.text for p in d.paragraphs if p.style.name.lower().startswith("heading")]
    assert headings[:3] == ["1. Основные показатели", "2. Основные темы обращений", "3. Факторы роста обращений"], headings
    assert "10. Рекомендации" in headings

    kpis = memo["figures"]
    summary = d.tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in summary.rows[1:]}
    for title in ["Взяты в работу в срок", "Оценки 4–5", "Просрочено сейчас", "Решено (против «разъяснено»)"]:
        assert rows[title].startswith(kpis[title]), (title, rows[title], kpis[title])
    assert f"поступило {kpis['Поступило обращений']}" in text

    # The topics chart is a real PNG inside the document.
    images = [rel for rel in d.part.rels.values() if "image" in rel.reltype]
    assert images and images[0].target_part.blob[:8] == b"\x89PNG\r\n\x1a\n"

    organisations = {r["name"] for r in get(demo_server, "/analytics/ratings", **PERIOD).json()["rows"] if r["rank"]}
    rating_table = next(t for t in d.tables if t.rows[0].cells[0].text == "Место")
    assert {row.cells[2].text for row in rating_table.rows[1:]} <= organisations


def test_memo_converts_to_pdf_with_libreoffice(memo, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        pytest.fail("нет LibreOffice: apt-get install libreoffice-writer-nogui (.ci/run ставит его)")
    done = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(memo["path"])],
                          capture_output=True, text=True, timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "zapiska.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000


def test_bad_period_is_refused_in_russian(still_server):
    demo_server = still_server
    r = requests.get(f"{demo_server['base']}/api/v1/municipalities/{SLUG}/analytics/memo.docx", params={"from": "2010-01-01", "to": "2026-01-01"},
                     headers={"Authorization": "Bearer " + demo_server["token"]}, timeout=60)
    assert r.status_code == 422 and "не более трёх лет" in r.json()["detail"] + str(r.json().get("errors"))
