"""Real Celery in tests: point the app at another broker, or run a worker thread on it."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def _reset_broker_pools(app):
    """Close and forget pooled broker connections, so the next publish uses broker_url."""
    kombu_pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_conf(**changes):
    saved = {key: celery_app.conf[key] for key in changes}
    _reset_broker_pools(celery_app)
    celery_app.conf.update(changes)
    try:
        yield celery_app
    finally:
        _reset_broker_pools(celery_app)
        celery_app.conf.update(saved)


def broker_down():
    """A broker URL where nothing listens, and Celery no longer running jobs in-process."""
    return celery_conf(task_always_eager=False, broker_url=f"redis://127.0.0.1:{free_port()}/0")


@contextmanager
def celery_worker(broker_url):
    """Real Celery against ``broker_url``, with one worker thread consuming from it."""
    with (
        celery_conf(
            task_always_eager=False, broker_url=broker_url, worker_hijack_root_logger=False
        ) as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20),
    ):
        yield app


def wait_until(condition, timeout=30):
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


class WorkerProcess:
    """``celery -A config worker`` (prefork, one child, as in production) in its own process
    group, so it can be killed whole. ``env`` must name the worker's settings module."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.process = None

    def start(self, timeout=60):
        command = [
            sys.executable,
            "-m",
            "tests.notifications.run_worker",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            "--concurrency=1",
            f"--hostname={self.name}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited: {self.log.read_text()[-3000:]}")
            if " ready." in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the worker was not ready in {timeout} s")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
