"""What the platform holds about a person, gathered and erased app by app.

``accounts`` is a low layer: it cannot import the apps that store a person's pledges,
sign-ups or mail log. Each of those apps registers a *part* at start-up
(``AppConfig.ready``), the same way ``tasks`` registers its support sources with
``campaigns``. A part is an object with:

- ``key`` and ``label``: a short name and a title for the export;
- ``order``: parts erase in ascending order. Support given in time or kind (``tasks``,
  10) is withdrawn before the money ledger is anonymised (``campaigns``, 20), because
  un-counting a helper asks whether the same person also donated;
- ``export(user)``: a JSON-ready dict of what this app holds about the user;
- ``blockers(user)``: a list of :class:`Blocker` (something the user must settle first,
  with a link); empty when nothing stands in the way;
- ``erase(user)``: remove or anonymise the user's data, inside the deletion transaction,
  before the user row is deleted. It must be idempotent and take its locks in the
  platform's order.

:func:`erase_personal_data` runs on ``pre_delete`` of the user, so every way of deleting
an account (the "delete my account" page, Wagtail's or Django's user admin) erases the
same data and keeps the totals equal to the ledger.
"""

from dataclasses import dataclass

from django.utils import timezone

_PARTS = []


@dataclass(frozen=True)
class Blocker:
    """Something the user must settle before the account can go; ``links`` are
    ``(url, text)`` pairs to the places where they can."""

    message: str
    links: tuple = ()


def register_personal_data(part):
    """Add (or replace, by ``key``) the part an app contributes to export and erasure."""
    _PARTS[:] = [existing for existing in _PARTS if existing.key != part.key]
    _PARTS.append(part)
    _PARTS.sort(key=lambda existing: (existing.order, existing.key))


def personal_data_parts():
    return tuple(_PARTS)


def collect_personal_data(user):
    """Everything the platform holds about ``user``, as one JSON-ready dict."""
    return {
        "generated_at": timezone.now().isoformat(),
        "user_id": user.pk,
        "parts": [
            {"key": part.key, "label": str(part.label), "data": part.export(user)}
            for part in _PARTS
        ],
    }


def deletion_blockers(user):
    return [blocker for part in _PARTS for blocker in part.blockers(user)]


def erase_personal_data(user):
    for part in _PARTS:
        part.erase(user)


def erase_on_delete(sender, instance, **kwargs):
    """``pre_delete`` of the user model: erase what the cascade would get wrong or leave."""
    erase_personal_data(instance)
