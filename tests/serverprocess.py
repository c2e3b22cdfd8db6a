"""Starting and stopping the built `otklik serve` for the black-box and the browser tests."""
import socket
import subprocess
import time

import pytest
import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, env, workdir, timeout=180):
    """Runs `args` (the binary and `serve …`, without --port) and waits for /health; returns (proc, base, log)."""
    port = free_port()
    log = open(workdir / "serve.log", "w+")
    proc = subprocess.Popen([*args, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail("сервер завершился: " + log.read()[-2000:])
        try:
            if requests.get(base + "/health", timeout=1).status_code == 200:
                return proc, base, log
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"сервер не ответил за {timeout} с")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
