"""The open-data downloads kept as files: built by a job, served as they are.

Building the initiatives file reads every public campaign with its figures; at a hundred
thousand initiatives that takes longer than a request may (Gunicorn ends it after 30 s),
and the file is the same for everyone. So the job ``tasks.jobs.build_open_data`` builds
it (``files.build``) and :func:`store` keeps it; a download only opens the newest stored
file (:func:`open_newest`) and never reads the database for it.

Each build is a new file, ``open-data/<hash of the key>/<UTC time>.<format>``, so a
download that is streaming the previous file is never cut short by the next build, and
the name says when it was built. The cache names the newest file of each key, without an
expiry; when the cache lost it (cleared, evicted, another machine), the key's folder is
listed once and the newest name is remembered again. Each key keeps its newest two files.
Memory stays flat: chunks go to a temporary file, then to the storage.

Files are stored gzip-compressed (``.csv.gz``; the platform's initiatives file shrinks
about elevenfold), and sent as they are to a client that accepts gzip, as every browser does;
any other client gets them decompressed as they stream (:class:`PlainBlocks`).
"""

import contextlib
import gzip
import hashlib
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "open-data"
STAMP = "%Y%m%dT%H%M%S%fZ"
STAMP_LENGTH = 22  # a name the storage made unique carries a suffix after it
KEEP = 2


def period_seconds():
    """How often the files are built again; 0 builds every download in the request."""
    return settings.WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"]


def file_key(language, place, kind, fmt):
    """What a file's bytes depend on: the language (links), the place, the kind, the format.

    No host: links are built from ``BASE_URL``, as the platform's mails build them, since a
    job has no request.
    """
    return f"open-data:{language}:{place}:{kind}:{fmt}"


@dataclass(frozen=True)
class Stored:
    name: str

    @property
    def generated_at(self):
        stamp = self.name.rsplit("/", 1)[-1][:STAMP_LENGTH]
        return datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)

    def age_seconds(self, now=None):
        return ((now or timezone.now()) - self.generated_at).total_seconds()

    @property
    def compressed(self):
        """Files built before they were compressed are plain; a deploy serves both."""
        return self.name.endswith(".gz")


def folder_of(key):
    return f"{FOLDER}/{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _listed(key):
    """The key's stored names, oldest first (the names sort by time)."""
    try:
        _dirs, names = default_storage.listdir(folder_of(key))
    except FileNotFoundError:
        return []
    return [f"{folder_of(key)}/{name}" for name in sorted(names)]


def newest(key):
    """The newest stored file of ``key``, or None when none was built yet."""
    name = cache.get(key)
    if name is None:
        names = _listed(key)
        if not names:
            return None
        name = names[-1]
        cache.set(key, name, None)
    return Stored(name)


def open_newest(key):
    """``(file opened for reading, Stored)`` of the newest file, or None."""
    for _attempt in range(2):
        found = newest(key)
        if found is None:
            return None
        try:
            return default_storage.open(found.name, "rb"), found
        except FileNotFoundError:
            cache.delete(key)  # pruned by another machine's build: list again
    return None


def store(key, chunks, suffix, generated_at):
    """Write ``chunks`` (str) to a new file of ``key`` and make it the newest; its name."""
    return store_many([(key, suffix, chunks)], generated_at)[0]


def store_many(files, generated_at):
    """Store each ``(key, suffix, chunks)`` as its key's newest file; their names.

    The chunk iterators advance in step, one chunk of each in turn, since they may share
    one pass over the rows. Older files beyond the newest two of a key are deleted: the
    previous one may still be streaming.
    """
    stamp = generated_at.astimezone(UTC).strftime(STAMP)
    with contextlib.ExitStack() as stack:
        spools = [stack.enter_context(tempfile.TemporaryFile()) for _file in files]
        # mtime=0: the same rows give the same bytes, whenever they were built.
        writers = [gzip.GzipFile(fileobj=spool, mode="wb", mtime=0) for spool in spools]
        pending = [
            (writer, iter(chunks)) for writer, (_k, _s, chunks) in zip(writers, files, strict=True)
        ]
        while pending:
            for writer, chunks in list(pending):
                chunk = next(chunks, None)
                if chunk is None:
                    pending.remove((writer, chunks))
                    writer.close()  # writes the gzip trailer; the spool stays open
                else:
                    writer.write(chunk.encode())
        names = []
        for spool, (key, suffix, _chunks) in zip(spools, files, strict=True):
            spool.seek(0)
            name = f"{folder_of(key)}/{stamp}.{suffix}.gz"
            names.append(default_storage.save(name, File(spool)))
            _make_newest(key)
    return names


def _make_newest(key):
    names = _listed(key)
    if names:
        cache.set(key, names[-1], None)
    for old in names[:-KEEP]:
        default_storage.delete(old)


class PlainBlocks:
    """The stored file's bytes as built, in blocks, decompressed when it is compressed.

    An iterable with ``close()``, which ``StreamingHttpResponse`` calls when the response
    ends, also when the client left before the first block."""

    block_size = 64 * 1024

    def __init__(self, opened, found):
        self.opened = opened
        self.reader = gzip.GzipFile(fileobj=opened, mode="rb") if found.compressed else opened

    def __iter__(self):
        while block := self.reader.read(self.block_size):
            yield block
        self.close()

    def close(self):
        self.reader.close()
        self.opened.close()


def encoded(chunks):
    """The chunks as bytes, for a download streamed as it is built (no period)."""
    return (chunk.encode() for chunk in chunks)
