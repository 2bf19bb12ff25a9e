"""The benchmark's scratch environment: a fresh SQLite database with the demo data.

Everything lives in ``bench/.work/`` (git-ignored) and is rebuilt on every run. Settings
come from ``bench.settings`` (the shipped base settings plus a STATIC_ROOT in the scratch
folder) with DEBUG off, and every variable the platform reads that could change the result
is set explicitly, so a developer's ``.env`` or shell does not leak into the numbers.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / "bench" / ".work"
WEBHOOK_SECRET = "whsec_wijkkapitaal_bench"


class SetupError(RuntimeError):
    pass


class BenchEnvironment:
    def __init__(self, workdir=WORKDIR):
        self.workdir = Path(workdir)
        self.database = self.workdir / "db.sqlite3"
        self.media_root = self.workdir / "media"
        self.static_root = self.workdir / "static"
        self.cache_dir = self.workdir / "cache"
        self.log_dir = self.workdir / "logs"
        # Set-ups that run alongside prepare() and that suites pick up (see run.py).
        self.background = {}
        self._django_ready = False

    def env(self, **overrides):
        """Environment for a process of the platform (manage.py, gunicorn); strings only."""
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
                "BENCH_STATIC_ROOT": str(self.static_root),
                "DATABASE_URL": f"sqlite:///{self.database}",
                "MEDIA_ROOT": str(self.media_root),
                "PRIVATE_MEDIA_ROOT": str(self.media_root.parent / "private"),
                "DEBUG": "false",
                "SECRET_KEY": "bench-only-not-a-secret",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # One cache shared by all Gunicorn workers and this process, as Redis is
                # in production (a per-process cache could never see an invalidation).
                "CACHE_URL": f"filecache://{self.cache_dir}",
                # Empty: Celery runs jobs eagerly in-process, no broker needed.
                "REDIS_URL": "",
                "PAGE_CACHE_SECONDS": "0",
                "SERVE_MEDIA": "false",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "LOG_LEVEL": "WARNING",
                # Empty: the labelled test checkout, never Stripe.
                "STRIPE_SECRET_KEY": "",
                "STRIPE_PUBLISHABLE_KEY": "",
                # The secret the benchmark signs its webhook events with.
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            }
        )
        env.update({key: str(value) for key, value in overrides.items()})
        return env

    def log_path(self, name):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return self.log_dir / f"{name}.log"

    def manage(self, *args, log_name="setup", env=None):
        """Run ``manage.py`` with the bench environment (plus ``env``); output to a log file."""
        log = self.log_path(log_name)
        with log.open("a") as out:
            out.write(f"\n$ manage.py {' '.join(args)}\n")
            out.flush()
            completed = subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), *args],
                cwd=ROOT,
                env=self.env(**(env or {})),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if completed.returncode != 0:
            tail = "\n".join(log.read_text().splitlines()[-30:])
            raise SetupError(f"manage.py {' '.join(args)} failed (log: {log}):\n{tail}")

    def reset(self):
        """Wipe the scratch folder."""
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self.workdir.mkdir(parents=True)

    def prepare(self, reset=True):
        """Wipe the scratch folder, then migrate, load the demo data and collect static files."""
        started = time.perf_counter()
        if reset:
            self.reset()
        self.manage("migrate", "--no-input")
        self.manage("load_demo_data")
        self.manage("collectstatic", "--no-input")
        return time.perf_counter() - started

    def setup_django(self):
        """Configure Django in this process against the bench database (for direct writes)."""
        if self._django_ready:
            return
        os.environ.update(self.env())
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        self._django_ready = True
