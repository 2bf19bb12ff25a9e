"""The open-data downloads kept as files, so that a download is built once per period.

Building the initiatives file reads every public campaign with its figures; at a hundred
thousand initiatives that takes seconds, and the file is the same for everyone. The first
download after the period (``OPEN_DATA_CACHE_SECONDS``) streams the rows as they are built
and writes the same bytes to a temporary file beside; once complete, the file goes to the
default storage under a name derived from the key, and the cache remembers that name for
the period. Later downloads stream that file (``FileResponse``) without reading the
database. A download the visitor broke off stores nothing. The cache entry, not the file,
decides freshness: clearing the cache starts a new period, and an expired file is simply
overwritten by the next build. Memory stays flat: chunks pass through, never the file.
"""

import hashlib
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage

FOLDER = "open-data"


def cache_seconds():
    return settings.WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"]


def cache_key(*parts):
    return "open-data:" + ":".join(str(part) for part in parts)


def _file_name(key, suffix):
    return f"{FOLDER}/{hashlib.sha256(key.encode()).hexdigest()[:40]}.{suffix}"


def open_fresh(key):
    """The stored file of ``key`` opened for reading, or None when there is none this period."""
    name = cache.get(key)
    if not name:
        return None
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        return None


def keep(key, chunks, suffix):
    """Yield ``chunks`` (str) as bytes and, once all went out, store them as ``key``'s file."""
    seconds = cache_seconds()
    if seconds <= 0:
        yield from (chunk.encode() for chunk in chunks)
        return
    name = _file_name(key, suffix)
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks:
            data = chunk.encode()
            spool.write(data)
            yield data
        spool.seek(0)
        default_storage.delete(name)
        cache.set(key, default_storage.save(name, File(spool)), seconds)
