"""Gunicorn configuration for the Wijkkapitaal web process.

Used as ``gunicorn --config platform/gunicorn.conf.py config.wsgi:application`` (the
Docker image's default command). Every value can be tuned from the environment; options
given on the command line override this file.

Environment:
    PORT               port to listen on, on all interfaces (default 8000)
    WEB_CONCURRENCY    number of worker processes (default 2 x CPU cores + 1)
    GUNICORN_TIMEOUT   seconds a worker may spend on one request before it is restarted
                       (default 30)
    GUNICORN_LOG_LEVEL Gunicorn's own log level (default info)
    FORWARDED_ALLOW_IPS  read by Gunicorn itself: proxies trusted to set X-Forwarded-*
"""

import os


def _int_from_env(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count():
    # The CPUs this process may run on (a container's cpuset), not every CPU of the host.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


bind = f"0.0.0.0:{_int_from_env('PORT', 8000)}"

# Sync workers: the pages are rendered by Django talking to PostgreSQL, and slow clients
# are expected to be buffered by the reverse proxy in front of Gunicorn.
worker_class = "sync"
workers = _int_from_env("WEB_CONCURRENCY", 2 * _cpu_count() + 1)

# A request that takes longer than this is stuck; its worker is killed and replaced.
timeout = _int_from_env("GUNICORN_TIMEOUT", 30)
# On SIGTERM (deploy, `docker compose stop`) workers get this long to finish requests.
graceful_timeout = 30
# Idle keep-alive seconds; only used by non-sync workers, harmless here.
keepalive = 5

# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# The worker heartbeat file lives in memory: an overlay filesystem can stall it.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# One Gunicorn per container: no control socket in $HOME (Gunicorn >= 25.1 makes one by
# default; older versions ignore this setting).
control_socket_disable = True

# Logs: access log and error log both go to the container's stdout/stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address, the address the proxy forwarded for, request, status, bytes, duration.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
