"""A message's audience as named parts, each read in id order so it can be cut into chunks.

A message to many people (an update, a milestone, a campaign's outcome) names where its
recipients come from: the donors' pledges, the helpers' sign-ups, the followers' follows.
:func:`notifications.jobs.fan_out` reads only the ids of each part and queues one job per
chunk with the part's name and an id range; the job reads that range with one query and
sends through the sent-once log. So neither the planning nor a job grows with the
audience, job arguments stay a few numbers, and a job reads what holds when it runs.

An address may appear in several parts (a donor who also follows) or rows (two pledges):
each chunk sends to an address once, and the sent-once log makes sure no other chunk
sends it again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

ID_READ_CHUNK = 2000


@dataclass(frozen=True)
class AudiencePart:
    """Rows (a queryset) and how one row becomes a ``Recipient``.

    ``related`` is joined when the rows are read (``select_related``), so a chunk of any
    size costs one query.
    """

    rows: QuerySet
    recipient: Callable
    related: tuple = ()

    def id_ranges(self, size):
        """(first id, last id) of each run of ``size`` rows, in id order: one query."""
        ids = self.rows.order_by("pk").values_list("pk", flat=True)
        first, count = None, 0
        for pk in ids.iterator(chunk_size=ID_READ_CHUNK):
            if count == 0:
                first = pk
            count += 1
            if count == size:
                yield first, pk
                count = 0
        if count:
            yield first, pk

    def between(self, first_id, last_id):
        """The recipients of the rows with ids from ``first_id`` to ``last_id``."""
        rows = self.rows.filter(pk__gte=first_id, pk__lte=last_id)
        return self._recipients(rows)

    def everyone(self):
        return self._recipients(self.rows)

    def _recipients(self, rows):
        if self.related:
            rows = rows.select_related(*self.related)
        return [self.recipient(row) for row in rows.order_by("pk")]


def audience_recipients(audience):
    """Everyone in an audience (name -> part), each address once; the first part wins."""
    recipients = {}
    for part in audience.values():
        for recipient in part.everyone():
            if recipient.email:
                recipients.setdefault(recipient.email, recipient)
    return list(recipients.values())
