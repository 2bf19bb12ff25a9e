"""Start throwaway PostgreSQL and Redis servers from the machine's own binaries.

pytest-postgresql runs ``pg_ctl`` directly, and PostgreSQL refuses to run as root,
which is how CI runs. So PostgreSQL is started here with ``runuser`` when we are root;
Redis comes from pytest-redis. Where a binary is missing the callers skip with a reason.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    datadir: Path
    bindir: Path

    def dsn(self, dbname="postgres"):
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"


def find_postgres_bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.insert(0, os.path.realpath(found))
    for pg_ctl in candidates:
        bindir = Path(pg_ctl).parent
        if (bindir / "initdb").exists() and (bindir / "postgres").exists():
            return bindir
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user():
    if os.geteuid() != 0:
        return []
    if not shutil.which("runuser"):
        raise RuntimeError("running as root needs runuser to start PostgreSQL as 'postgres'")
    return ["runuser", "-u", "postgres", "--"]


def start_postgres():
    """Initialise and start a fast, non-durable PostgreSQL server; returns PostgresServer."""
    bindir = find_postgres_bindir()
    if bindir is None:
        return None
    prefix = _as_postgres_user()
    workdir = Path(tempfile.mkdtemp(prefix="wijk-pg-"))
    if prefix:
        shutil.chown(workdir, "postgres", "postgres")
    datadir = workdir / "data"
    port = free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    return PostgresServer("127.0.0.1", port, "postgres", datadir, bindir)


def stop_postgres(server):
    prefix = _as_postgres_user()
    subprocess.run(
        [
            *prefix,
            str(server.bindir / "pg_ctl"),
            "-D",
            str(server.datadir),
            "-m",
            "immediate",
            "stop",
        ],
        capture_output=True,
    )
    shutil.rmtree(server.datadir.parent, ignore_errors=True)


def wait_for_port(host, port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False
