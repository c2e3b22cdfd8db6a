"""Black-box tests of the built `otklik` binary: what an administrator does at a terminal."""
import os
import pathlib
import re
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "otklik"
DEMO_PASSWORD = "demo-пароль-для-тестов"


@pytest.fixture(scope="session")
def binary():
    if not BINARY.exists():
        pytest.fail(f"нет собранной программы {BINARY}: сначала swift build")
    return str(BINARY)


def run(binary, *args, env=None, cwd=None, timeout=300):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OTKLIK_SQLITE_PATH")}
    full_env.update(env or {})
    return subprocess.run([binary, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(binary, tmp_path_factory):
    """`otklik serve --demo` on a fresh SQLite file, as the README's run command does."""
    workdir = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update({"OTKLIK_SQLITE_PATH": str(workdir / "otklik.sqlite"), "OTKLIK_DEMO_PASSWORD": DEMO_PASSWORD})
    log = open(workdir / "serve.log", "w+")
    proc = subprocess.Popen([binary, "serve", "--demo", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail("сервер завершился: " + log.read()[-2000:])
        try:
            if requests.get(base + "/health", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("сервер не ответил за 180 с")
    log.seek(0)
    output = log.read()
    token = re.search(r"otk_[A-Za-z0-9_-]+", output).group(0)
    admin_password = re.search(r"Одноразовый пароль:\s+(\S+)", output).group(1)
    yield {"base": base, "token": token, "admin_password": admin_password, "output": output, "workdir": workdir}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
