"""Start and stop a Gunicorn server on a free loopback port for one benchmark phase.

It uses the production Gunicorn configuration (platform/gunicorn.conf.py) with three
overrides: bind to 127.0.0.1 on a free port, a fixed number of sync workers, and no worker
recycling (``max_requests``), which would restart workers in the middle of a measurement.
"""

import signal
import socket
import subprocess
import sys
import time

from bench import http_load
from bench.environment import ROOT

HOST = "127.0.0.1"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class ServerError(RuntimeError):
    pass


class GunicornServer:
    """``with GunicornServer(bench_env, "cache-off", PAGE_CACHE_SECONDS=0) as server: ...``"""

    def __init__(self, bench_env, name, *, workers=2, **env_overrides):
        self.bench_env = bench_env
        self.name = name
        self.workers = workers
        self.env_overrides = env_overrides
        self.port = None
        self.process = None
        self.log = bench_env.log_path(f"gunicorn-{name}")

    def start(self, timeout=60):
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "platform" / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--max-requests",
            "0",
            "config.wsgi:application",
        ]
        out = self.log.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.bench_env.env(**self.env_overrides),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        self._wait_until_ready(timeout)
        return self

    def _wait_until_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited with {self.process.returncode}: {self.tail()}")
            try:
                status, _, _ = http_load.get(HOST, self.port, "/health/", timeout=2)
            except OSError:
                status = None
            if status == 200:
                return
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"gunicorn did not answer /health/ within {timeout} s: {self.tail()}")

    def tail(self, lines=20):
        text = self.log.read_text() if self.log.exists() else ""
        return f"(log: {self.log})\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout=15):
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM to the master (the process we started) makes it stop its workers.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path, headers=None):
        return http_load.get(HOST, self.port, path, headers=headers)

    def measure(self, path, **kwargs):
        return http_load.measure(HOST, self.port, path, **kwargs)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
