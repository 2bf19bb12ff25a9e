"""Plural phrases for the Jinja2 templates.

``makemessages`` extracts ``ngettext`` calls from Python but not from Jinja2 templates,
so the templates call these functions (as ``plurals.<name>``) instead.
"""

from django.utils.translation import ngettext


def tasks_done(done, total):
    return ngettext(
        "%(done)s of %(total)s task done", "%(done)s of %(total)s tasks done", total
    ) % {"done": done, "total": total}


def helpers_of_needed(helpers, needed):
    return ngettext(
        "%(helpers)s of %(needed)s helper", "%(helpers)s of %(needed)s helpers", needed
    ) % {"helpers": helpers, "needed": needed}


def neighbours_giving_time(helpers):
    return ngettext(
        "%(helpers)s neighbour gives time.", "%(helpers)s neighbours give time.", helpers
    ) % {"helpers": helpers}
