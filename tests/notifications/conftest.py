import shutil

import pytest
import redis
from pytest_redis import factories

outbox_redis_proc = factories.redis_proc(executable=shutil.which("redis-server"), port=None)


@pytest.fixture
def redis_broker(request):
    """A real redis-server for the broker; skips when the machine has none."""
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server binary on this machine (apt-get install redis-server)")
    proc = request.getfixturevalue("outbox_redis_proc")
    server = redis.Redis(host=proc.host, port=proc.port)
    server.flushall()
    yield f"redis://{proc.host}:{proc.port}/0"
    server.flushall()
    server.close()
