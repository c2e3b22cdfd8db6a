"""The command line: demo, import with its progress and summary, users, configuration errors."""
import pathlib

from conftest import run


def test_import_cases_from_cp1251_csv_and_jsonl(binary, tmp_path):
    env = {"OTKLIK_SQLITE_PATH": str(tmp_path / "o.sqlite")}
    demo = run(binary, "demo", "--cases", "20", env=env)
    assert demo.returncode == 0, demo.stderr + demo.stdout
    csv = (
        "Канал;Текст;Дата поступления;Внешний номер;Адрес\r\n"
        "pos;Не вывозят мусор на ул. Полевой;06.11.2026 10:15;CSV-1;ул. Полевая, 3\r\n"
        "pos;Нет света;2026-11-06T11:00:00+07:00;CSV-2;\r\n"
        "факс;Неизвестный канал;06.11.2026;CSV-3;\r\n"
    )
    path = tmp_path / "выгрузка.csv"
    path.write_bytes(csv.encode("cp1251"))
    r = run(binary, "import", "cases", str(path), "--municipality", "svetloyarsk-demo", env=env)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "Windows-1251" in r.stdout
    assert "создано:              2" in r.stdout
    assert "отклонено:            1" in r.stdout
    assert "строка 4: channel: неизвестное значение «факс»" in r.stdout
    assert "100%" in r.stdout
    again = run(binary, "import", "cases", str(path), "--municipality", "svetloyarsk-demo", env=env)
    assert "уже были (повтор):    2" in again.stdout

    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text('{"channel":"email","text":"Письмо","received_at":"2026-11-06T10:00:00Z","external_id":"E-1"}\n', encoding="utf-8")
    r = run(binary, "import", "cases", str(jsonl), "--municipality", "svetloyarsk-demo", env=env)
    assert "создано:              1" in r.stdout


def test_broken_files_are_refused_with_a_reason(binary, tmp_path):
    env = {"OTKLIK_SQLITE_PATH": str(tmp_path / "o.sqlite")}
    run(binary, "demo", "--cases", "5", env=env)
    broken = tmp_path / "broken.csv"
    broken.write_text('channel;text;received_at\npos;"без конца;2026-11-06T10:00:00Z\n', encoding="utf-8")
    r = run(binary, "import", "cases", str(broken), "--municipality", "svetloyarsk-demo", env=env)
    assert r.returncode != 0
    assert "кавычка, открытая в строке 2" in r.stderr
    missing = run(binary, "import", "cases", str(tmp_path / "нет.csv"), "--municipality", "svetloyarsk-demo", env=env)
    assert missing.returncode != 0 and "не найден" in missing.stderr
    unknown = run(binary, "import", "cases", str(broken), "--municipality", "nowhere", env=env)
    assert "«nowhere» не найдено" in unknown.stderr


def test_user_create_prints_one_time_password(binary, tmp_path):
    env = {"OTKLIK_SQLITE_PATH": str(tmp_path / "o.sqlite")}
    run(binary, "demo", "--cases", "5", env=env)
    r = run(binary, "user", "create", "--login", "new.executor", "--name", "Новый Исполнитель", "--role", "executor",
            "--municipality", "svetloyarsk-demo", "--organisation", "УЖКХ", env=env)
    assert r.returncode == 0, r.stderr
    assert "Одноразовый пароль:" in r.stdout
    dup = run(binary, "user", "create", "--login", "new.executor", "--name", "X", "--role", "analyst",
              "--municipality", "svetloyarsk-demo", env=env)
    assert dup.returncode != 0 and "уже занят" in dup.stderr


def test_wrong_configuration_is_named(binary, tmp_path):
    r = run(binary, "migrate", "--yes", env={"DATABASE_URL": "mysql://x", "OTKLIK_MAX_BODY": "много"})
    assert r.returncode != 0
    assert "DATABASE_URL" in r.stderr and "OTKLIK_MAX_BODY" in r.stderr
    assert "Ошибка конфигурации" in r.stderr


def test_migrate_up_and_revert(binary, tmp_path):
    env = {"OTKLIK_SQLITE_PATH": str(tmp_path / "m.sqlite")}
    up = run(binary, "migrate", "--yes", env=env)
    assert up.returncode == 0, up.stderr
    down = run(binary, "migrate", "--revert", "--yes", env=env)
    assert down.returncode == 0, down.stderr


def test_municipality_create_validates_and_creates(binary, tmp_path):
    env = {"OTKLIK_SQLITE_PATH": str(tmp_path / "o.sqlite")}
    bad = run(binary, "municipality", "create", "--slug", "Новый", "--name", "", "--time-zone", "MSK", env=env)
    assert bad.returncode != 0
    assert "--slug" in bad.stderr and "--name" in bad.stderr and "--time-zone" in bad.stderr
    ok = run(binary, "municipality", "create", "--slug", "chukotka", "--name", "Чукотский муниципальный район",
             "--time-zone", "Asia/Anadyr", "--oktmo", "77633000", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "Asia/Anadyr" in ok.stdout
    again = run(binary, "municipality", "create", "--slug", "chukotka", "--name", "X", "--time-zone", "Asia/Anadyr", env=env)
    assert again.returncode != 0 and "уже занят" in again.stderr


def test_configuration_from_dotenv(binary, tmp_path):
    (tmp_path / ".env").write_text(f"OTKLIK_SQLITE_PATH={tmp_path / 'from-dotenv.sqlite'}\n", encoding="utf-8")
    r = run(binary, "migrate", "--yes", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "from-dotenv.sqlite").exists()
    (tmp_path / ".env").write_text("OTKLIK_BCRYPT_COST=99\n", encoding="utf-8")
    bad = run(binary, "migrate", "--yes", cwd=tmp_path)
    assert bad.returncode != 0 and "OTKLIK_BCRYPT_COST" in bad.stderr
