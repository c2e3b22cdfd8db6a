"""Black-box tests of the built `otklik` binary: what an administrator does at a terminal."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import serverprocess  # noqa: E402  (tests/serverprocess.py, shared with e2e/)

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


@pytest.fixture(scope="session")
def demo_server(binary, tmp_path_factory):
    """`otklik serve --demo` on a fresh SQLite file, as the README's run command does."""
    workdir = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update({"OTKLIK_SQLITE_PATH": str(workdir / "otklik.sqlite"), "OTKLIK_DEMO_PASSWORD": DEMO_PASSWORD})
    proc, base, log = serverprocess.start([binary, "serve", "--demo"], env, workdir)
    log.seek(0)
    output = log.read()
    token = re.search(r"otk_[A-Za-z0-9_-]+", output).group(0)
    admin_password = re.search(r"Одноразовый пароль:\s+(\S+)", output).group(1)
    yield {"base": base, "token": token, "admin_password": admin_password, "output": output, "workdir": workdir}
    serverprocess.stop(proc)
