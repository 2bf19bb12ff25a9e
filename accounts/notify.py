"""The single place from which the platform's messages fire.

Services call :func:`notify` inside their transaction; handlers run after commit, so a
rolled-back change never sends anything. Message classes register themselves as
handlers for the events they care about (see ``accounts.notifications``).
"""

import logging
from collections import defaultdict

from django.db import transaction

logger = logging.getLogger(__name__)

_handlers = defaultdict(list)


def on(event):
    """Register ``handler(**ids)`` for an event name, e.g. ``@on("signup.created")``."""

    def register(handler):
        _handlers[event].append(handler)
        return handler

    return register


def notify(event, **ids):
    """Announce that something happened; ``ids`` are primary keys, never objects."""

    def fire():
        for handler in _handlers.get(event, []):
            try:
                handler(**ids)
            except Exception:  # a message must never break the change that caused it
                logger.exception("Notification handler for %s failed", event)

    transaction.on_commit(fire)
