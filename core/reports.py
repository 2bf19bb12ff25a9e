"""What the public may report as abuse, and how each kind is hidden.

Updates, standing offers and organisation profiles are published at once; visitors can
report them and moderators hide them afterwards. The apps that own those models live
above ``core``, so they register a :class:`Reportable` from their ``AppConfig.ready``
and this module never imports them. The audit log lives in ``campaigns``, which
registers the recorder of moderators' decisions the same way
(:func:`register_decision_recorder`).
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

HIDE, DISMISS, RESTORE = "hide", "dismiss", "restore"


class Reportable:
    """One kind of reportable item. ``key`` names it in report URLs (``update``).

    Hiding and restoring share one path (:meth:`set_hidden`): lock what the change
    touches (:meth:`lock`, in the documented lock order, before the first write), set
    or clear the item's ``hidden_at``, and drop the pages that show it (:meth:`forget`).
    A kind gives its model and says what it locks and which caches it drops.
    """

    key = ""
    model = None
    label = ""

    def visible(self):
        """The items the public sees now, and so may report."""
        raise NotImplementedError

    def hidden(self):
        """The items moderators took down; by default those with a ``hidden_at`` time."""
        return self.model._default_manager.filter(hidden_at__isnull=False)

    def lock(self, item):
        """Lock the rows that hiding ``item`` writes to and return the item read under its
        lock. By default only the item's own row; a kind whose item belongs to a row that
        comes earlier in the lock order locks that row first."""
        return self.model._default_manager.select_for_update().get(pk=item.pk)

    def forget(self, item):
        """Drop the cached pages that show ``item``, once the transaction commits."""

    def set_hidden(self, item, hidden_at):
        """Hide ``item`` from ``hidden_at`` on, or restore it (``None``), in the caller's
        transaction. Returns False when it already was so, and then writes nothing."""
        locked = self.lock(item)
        if (locked.hidden_at is None) == (hidden_at is None):
            return False
        self.model._default_manager.filter(pk=locked.pk).update(hidden_at=hidden_at)
        locked.hidden_at = hidden_at
        self.forget(locked)
        return True

    def hide(self, item, *, actor):
        """Take ``item`` off the public pages (and their caches), in the caller's
        transaction. Called once per decision, with the item's open reports locked."""
        return self.set_hidden(item, timezone.now())

    def restore(self, item, *, actor):
        """Put a hidden ``item`` back on the public pages; False if it was not hidden."""
        return self.set_hidden(item, None)

    def public_url(self, item):
        """Where the item is shown, for the moderator's queue."""
        raise NotImplementedError

    def summary(self, item):
        """The reported text, as the moderator should read it."""
        return str(item)


_REPORTABLES = {}
_RECORDERS = []


def register_reportable(reportable):
    if not reportable.key or reportable.model is None:
        raise ImproperlyConfigured(f"{reportable!r} needs a key and a model")
    _REPORTABLES[reportable.key] = reportable


def reportable(key):
    """The registered kind called ``key``, or None."""
    return _REPORTABLES.get(key)


def reportable_for_model(model):
    for candidate in _REPORTABLES.values():
        if candidate.model._meta.concrete_model is model._meta.concrete_model:
            return candidate
    return None


def register_decision_recorder(recorder):
    """``recorder(item, decision, *, actor, report_ids)`` writes the audit entry of a
    moderator's decision (``HIDE``, ``DISMISS`` or ``RESTORE``), inside the deciding
    transaction."""
    _RECORDERS[:] = [recorder]


def record_decision(item, decision, *, actor, report_ids):
    if not _RECORDERS:
        raise ImproperlyConfigured("No recorder of moderation decisions is registered")
    for recorder in _RECORDERS:
        recorder(item, decision, actor=actor, report_ids=report_ids)
