"""Throw-away backing services for the benchmarks: Redis, PostgreSQL, a Celery worker.

Everything binds to 127.0.0.1 on a free port, keeps its data in a temporary folder and
is stopped by the ``with`` block that started it, also when the benchmark fails. Only the
processes started here are signalled, by their own process id (a Celery worker's process
group is the one it was started in, so its pool children go with it).

``run_django_job`` runs one function of ``bench/django_jobs.py`` in a fresh Python
process with the bench environment (plus overrides such as another ``DATABASE_URL``), so
that each phase gets its own Django configuration, database and Celery mode.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import ROOT, SetupError
from bench.server import HOST, free_port

REDIS_SERVER = "/usr/bin/redis-server"


def _stop_process(process, timeout=15, group=False):
    """SIGTERM the process we started, SIGKILL after ``timeout``; with ``group``, then also
    SIGKILL what is left of the process group it leads (e.g. a Celery worker's pool)."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _tail(path, lines=20):
    text = path.read_text(errors="replace") if path.exists() else ""
    return f"(log: {path})\n" + "\n".join(text.splitlines()[-lines:])


class RedisServer:
    """``with RedisServer(bench_env) as redis: redis.url`` (no persistence, loopback only)."""

    def __init__(self, bench_env, name="redis", binary=REDIS_SERVER):
        self.binary = binary
        self.log = bench_env.log_path(name)
        self.port = None
        self.process = None
        self.datadir = None

    @classmethod
    def available(cls, binary=REDIS_SERVER):
        return Path(binary).exists()

    @property
    def url(self):
        return self.url_for(0)

    def url_for(self, db):
        return f"redis://{HOST}:{self.port}/{db}"

    def client(self, db=0):
        import redis

        return redis.Redis(host=HOST, port=self.port, db=db, socket_timeout=5)

    def start(self, timeout=15):
        self.port = free_port()
        self.datadir = tempfile.mkdtemp(prefix="wijk-bench-redis-")
        command = [
            self.binary,
            "--bind",
            HOST,
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            self.datadir,
            "--daemonize",
            "no",
        ]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"redis-server exited: {_tail(self.log)}")
            try:
                if self.client().ping():
                    return self
            except Exception:  # not listening yet
                time.sleep(0.05)
        self.stop()
        raise SetupError(f"redis-server did not answer within {timeout} s: {_tail(self.log)}")

    def stop(self):
        _stop_process(self.process)
        if self.datadir:
            shutil.rmtree(self.datadir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class PostgresServer:
    """A fast, non-durable PostgreSQL from the machine's binaries (tests/servers.py).

    ``with PostgresServer(bench_env) as pg: pg.create_database("x"); pg.url("x")``.
    Like the test suite's, it runs with fsync and synchronous_commit off.
    """

    def __init__(self, bench_env):
        self.bench_env = bench_env
        self.server = None

    @staticmethod
    def available():
        from tests.servers import find_postgres_bindir

        return find_postgres_bindir() is not None

    def start(self):
        from tests.servers import start_postgres

        try:
            self.server = start_postgres()
        except subprocess.CalledProcessError as error:
            output = (error.stderr or b"").decode(errors="replace")[-2000:]
            raise SetupError(f"PostgreSQL did not start: {error}\n{output}") from error
        if self.server is None:
            raise SetupError("no PostgreSQL binaries (initdb, pg_ctl) found")
        return self

    def stop(self):
        if self.server is not None:
            from tests.servers import stop_postgres

            stop_postgres(self.server)
            self.server = None

    @property
    def bindir(self):
        return self.server.bindir

    def url(self, dbname):
        return self.server.dsn(dbname)

    def client_args(self, dbname):
        """Connection arguments for psql, createdb and pgbench (trust authentication)."""
        return ["-h", self.server.host, "-p", str(self.server.port), "-U", self.server.user, dbname]

    def create_database(self, dbname):
        self.run("createdb", *self.client_args(dbname))

    def run(self, program, *args, log_name="postgres"):
        """Run a client program from the server's bindir; returns its stdout."""
        log = self.bench_env.log_path(log_name)
        completed = subprocess.run(
            [str(self.bindir / program), *args], capture_output=True, text=True, cwd=ROOT
        )
        with log.open("a") as out:
            out.write(f"\n$ {program} {' '.join(args)}\n{completed.stdout}{completed.stderr}")
        if completed.returncode != 0:
            raise SetupError(f"{program} failed (log: {log}): {completed.stderr[-1500:]}")
        return completed.stdout

    def pgbench_tps(self, dbname, script, *, seconds, clients=1, scale=1):
        """Initialise pgbench tables at ``scale`` and run ``script``; returns tps."""
        self.run("pgbench", "-i", "-q", "-s", str(scale), *self.client_args(dbname))
        script_path = self.bench_env.workdir / "pgbench-script.sql"
        script_path.write_text(script.strip() + "\n")
        output = self.run(
            "pgbench",
            "-n",
            "-c",
            str(clients),
            "-j",
            str(clients),
            "-T",
            str(max(1, round(seconds))),
            "-f",
            str(script_path),
            *self.client_args(dbname),
        )
        match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
        if match is None:
            match = re.search(r"tps = ([\d.]+)", output)
        if match is None:
            raise SetupError(f"cannot read tps from pgbench output:\n{output}")
        return float(match.group(1)), output

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class CeleryWorker:
    """``celery -A config worker`` with the bench environment and ``env`` overrides.

    ``with CeleryWorker(bench_env, "worker", concurrency=1, REDIS_URL=...) as worker:``
    The default prefork pool (as in platform/compose.yaml) with one child process.
    """

    def __init__(
        self,
        bench_env,
        name,
        *,
        concurrency=1,
        pool="prefork",
        queues=None,
        hostname="bench@%h",
        **env_overrides,
    ):
        self.bench_env = bench_env
        self.hostname = hostname
        self.queues = queues
        self.log = bench_env.log_path(f"celery-{name}")
        self.concurrency = concurrency
        self.pool = pool
        self.env_overrides = env_overrides
        self.process = None

    def start(self, timeout=60):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            f"--pool={self.pool}",
            f"--concurrency={self.concurrency}",
            f"--hostname={self.hostname}",
        ]
        if self.queues:
            command.append(f"--queues={','.join(self.queues)}")
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                # config/celery.py defaults to the production settings: set ours explicitly.
                env=self.bench_env.env(
                    DJANGO_SETTINGS_MODULE="bench.settings", **self.env_overrides
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"celery worker exited: {_tail(self.log)}")
            if " ready." in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.1)
        self.stop()
        raise SetupError(f"celery worker not ready within {timeout} s: {_tail(self.log)}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def tail(self, lines=20):
        return _tail(self.log, lines)

    def stop(self):
        _stop_process(self.process, group=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def run_django_job(bench_env, task, *, log_name, env=None, **kwargs):
    """Run ``bench.django_jobs.<task>(**kwargs)`` in a subprocess; returns its JSON result."""
    tag = f"{task}-{time.monotonic_ns()}"
    args_path = bench_env.workdir / f"task-{tag}-args.json"
    result_path = bench_env.workdir / f"task-{tag}-result.json"
    args_path.write_text(json.dumps(kwargs))
    log = bench_env.log_path(log_name)
    with log.open("a") as out:
        out.write(f"\n$ bench.django_jobs {task}\n")
        out.flush()
        completed = subprocess.run(
            [sys.executable, "-m", "bench.django_jobs", task, str(args_path), str(result_path)],
            cwd=ROOT,
            env=bench_env.env(**(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    args_path.unlink(missing_ok=True)
    if completed.returncode != 0 or not result_path.exists():
        raise SetupError(f"django task {task} failed: {_tail(log, 30)}")
    result = json.loads(result_path.read_text())
    result_path.unlink()
    return result
