"""What the public may report as abuse, and how each kind is hidden.

Updates, standing offers and organisation profiles are published at once; visitors can
report them and moderators hide them afterwards. The apps that own those models live
above ``core``, so they register a :class:`Reportable` from their ``AppConfig.ready``
and this module never imports them. The audit log lives in ``campaigns``, which
registers the recorder of moderators' decisions the same way
(:func:`register_decision_recorder`).
"""

from django.core.exceptions import ImproperlyConfigured

HIDE, DISMISS = "hide", "dismiss"


class Reportable:
    """One kind of reportable item. ``key`` names it in report URLs (``update``)."""

    key = ""
    model = None
    label = ""

    def visible(self):
        """The items the public sees now, and so may report."""
        raise NotImplementedError

    def hidden(self):
        """The items moderators took down; by default those with a ``hidden_at`` time."""
        return self.model._default_manager.filter(hidden_at__isnull=False)

    def hide(self, item, *, actor):
        """Take ``item`` off the public pages (and their caches), in the caller's
        transaction. Called once per decision, with the item's open reports locked."""
        raise NotImplementedError

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
    moderator's decision (``HIDE`` or ``DISMISS``), inside the deciding transaction."""
    _RECORDERS[:] = [recorder]


def record_decision(item, decision, *, actor, report_ids):
    if not _RECORDERS:
        raise ImproperlyConfigured("No recorder of moderation decisions is registered")
    for recorder in _RECORDERS:
        recorder(item, decision, actor=actor, report_ids=report_ids)
