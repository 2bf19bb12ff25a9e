"""Container health check for the web service: GET /health/ on the local Gunicorn.

Run as ``python platform/healthcheck.py``; exits 0 when the app answers 200. The request
looks like one from the reverse proxy (an allowed Host and X-Forwarded-Proto: https), so
that ALLOWED_HOSTS and SECURE_SSL_REDIRECT in production settings do not turn it into a
400 or a redirect. Standard library only: the slim image has no curl.
"""

import http.client
import os
import sys


def allowed_host():
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main():
    port = int(os.environ.get("PORT") or 8000)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(
            "GET", "/health/", headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: /health/ answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
