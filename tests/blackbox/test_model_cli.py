"""`otklik model train|predict|evaluate`: the classifier offline on labelled CSV files, without a database."""
import csv
import io
import pathlib
import re

import pytest

from conftest import run, ROOT

FIXTURES = ROOT / "Tests" / "OtklikCoreTests" / "Fixtures"
TRAIN = FIXTURES / "messages-train.csv"
TEST = FIXTURES / "messages-test.csv"


@pytest.fixture(scope="module")
def model(binary, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "категории.otm"
    # No database anywhere: the command must not need one.
    r = run(binary, "model", "train", "--input", str(TRAIN), "--text-column", "текст", "--label-column", "категория",
            "--output", str(path), env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert r.returncode == 0, r.stderr + r.stdout
    assert "Обучено на 840 примерах, классов: 10" in r.stdout
    assert "UTF-8 (BOM)" in r.stdout
    assert re.search(r"Проверка на отложенных \d+ примерах: accuracy \d\.\d{3}, macro-F1 \d\.\d{3}", r.stdout)
    assert path.stat().st_size > 1000
    return path


def test_predict_writes_the_input_columns_plus_label_and_confidence(binary, model, tmp_path):
    out = tmp_path / "out.csv"
    r = run(binary, "model", "predict", "--model", str(model), "--input", str(TEST), "--text-column", "текст", "--output", str(out))
    assert r.returncode == 0, r.stderr + r.stdout
    assert "Предсказано строк: 240" in r.stdout
    source = list(csv.reader(io.StringIO(TEST.read_text(encoding="utf-8-sig")), delimiter=";"))
    result = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert result[0] == source[0] + ["predicted_label", "confidence"]
    assert len(result) == len(source)
    labels = {row[2] for row in source[1:]}
    right = 0
    for before, after in zip(source[1:], result[1:]):
        assert after[:3] == before, "input columns must come back unchanged"
        assert after[3] in labels
        assert 0 < float(after[4]) <= 1
        right += after[3] == before[2]
    assert right / 240 > 0.55


def test_evaluate_prints_accuracy_macro_f1_and_a_table_of_classes(binary, model):
    r = run(binary, "model", "evaluate", "--model", str(model), "--input", str(TEST), "--text-column", "текст",
            "--label-column", "категория")
    assert r.returncode == 0, r.stderr + r.stdout
    accuracy = float(re.search(r"accuracy \(доля верных\): (\d\.\d+)", r.stdout).group(1))
    macro = float(re.search(r"macro-F1 \(среднее F1 по классам\): (\d\.\d+)", r.stdout).group(1))
    assert accuracy > 0.55 and macro > 0.55
    assert "precision" in r.stdout and "recall" in r.stdout
    for label in ("Дороги", "Отопление", "Безнадзорные животные", "Вывоз мусора"):
        assert re.search(rf"^{label}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+24\s+\d+$", r.stdout, re.M), label


def test_csv_as_real_exports_come_commas_no_bom_multiline_fields(binary, tmp_path):
    rows = list(csv.reader(io.StringIO(TRAIN.read_text(encoding="utf-8-sig")), delimiter=";"))[1:300]
    rows.append(["X-1", "Яма на дороге\nу дома 5,\n\"глубокая\"", "Дороги"])
    buffer = io.StringIO()
    w = csv.writer(buffer, delimiter=",", lineterminator="\n")
    w.writerow(["Номер", "Текст обращения", "Рубрика"])
    w.writerows(rows)
    src = tmp_path / "export.csv"
    src.write_bytes(buffer.getvalue().encode("utf-8"))
    model = tmp_path / "m.otm"
    r = run(binary, "model", "train", "--input", str(src), "--text-column", "текст обращения", "--label-column", "Рубрика",
            "--output", str(model))
    assert r.returncode == 0, r.stderr + r.stdout
    assert "разделитель «,»" in r.stdout and "UTF-8" in r.stdout
    out = tmp_path / "p.csv"
    r = run(binary, "model", "predict", "--model", str(model), "--input", str(src), "--text-column", "Текст обращения", "--output", str(out))
    assert r.returncode == 0, r.stderr + r.stdout
    back = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=","))
    assert back[-1][:3] == ["X-1", "Яма на дороге\nу дома 5,\n\"глубокая\"", "Дороги"]
    assert back[-1][3] == "Дороги"


def test_bad_input_gets_a_clear_message_and_writes_nothing(binary, model, tmp_path):
    out = tmp_path / "never.otm"

    def train(path, *extra):
        return run(binary, "model", "train", "--input", str(path), "--text-column", "текст", "--label-column", "категория",
                   "--output", str(out), *extra)

    r = run(binary, "model", "train", "--input", str(TRAIN), "--text-column", "нет такого", "--label-column", "категория",
            "--output", str(out))
    assert r.returncode == 1 and "нет столбца «нет такого»" in r.stderr and "«текст»" in r.stderr

    one = tmp_path / "one.csv"
    one.write_text("текст;категория\nяма;Дороги\nещё яма;Дороги\n", encoding="utf-8")
    r = train(one)
    assert r.returncode == 1 and "хотя бы два разных значения метки" in r.stderr

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    r = train(empty)
    assert r.returncode == 1 and "Файл пуст" in r.stderr

    broken = tmp_path / "broken.csv"
    broken.write_text('текст;категория\n"яма без конца;Дороги\n', encoding="utf-8")
    r = train(broken)
    assert r.returncode == 1 and "кавычка" in r.stderr

    r = train(tmp_path / "нет-файла.csv")
    assert r.returncode == 1 and "Не удаётся прочитать файл" in r.stderr
    assert not out.exists()

    corrupt = tmp_path / "corrupt.otm"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x55
    corrupt.write_bytes(bytes(data))
    predicted = tmp_path / "p.csv"
    r = run(binary, "model", "predict", "--model", str(corrupt), "--input", str(TEST), "--text-column", "текст", "--output", str(predicted))
    assert r.returncode == 1 and "Файл модели повреждён" in r.stderr
    r = run(binary, "model", "evaluate", "--model", str(TEST), "--input", str(TEST), "--text-column", "текст", "--label-column", "категория")
    assert r.returncode == 1 and "не файл модели Otklik" in r.stderr
    future = tmp_path / "future.otm"
    data = bytearray(model.read_bytes())
    data[8] = 9
    future.write_bytes(bytes(data))
    r = run(binary, "model", "evaluate", "--model", str(future), "--input", str(TEST), "--text-column", "текст", "--label-column", "категория")
    assert r.returncode == 1 and "формате версии 9" in r.stderr
    assert not predicted.exists()

    r = run(binary, "model", "train", "--input")
    assert r.returncode == 1 and "нет значения" in r.stderr
    r = run(binary, "model", "teach")
    assert r.returncode == 1 and "Неизвестная команда «model teach»" in r.stderr and "otklik model train" in r.stderr
