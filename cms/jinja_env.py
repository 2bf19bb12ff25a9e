"""The Jinja2 environment for the busiest templates (``templates/jinja2/``).

Django templates render the rest of the platform. The initiative page, its task cards
and the header and footer every page shares are Jinja2 templates, because a page with a
dozen task cards and two dozen supporters spent more time in Django's template engine
than in everything else together. Django templates embed the shared Jinja2 parts with
``{% jinja_partial %}`` (``cms/templatetags/wijk.py``), so each part is written once.

Translations: ``makemessages`` reads these templates with Django's template lexer, which
extracts ``{{ _("...") }}`` and nothing else. So simple strings are written as
``_("...")``, strings with values as ``_("... %(name)s ...")|fmt(name=value)`` (the same
msgid a ``{% blocktranslate %}`` would give), and plurals come from ``cms/plurals.py``.
"""

from functools import cache

from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from jinja2 import Environment
from markupsafe import escape

from cms import plurals
from cms.money import format_money


def url(viewname, *args, **kwargs):
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def display(value):
    """A value as a Django template prints it: local time, numbers in the locale's format."""
    return localize(template_localtime(value))


def fmt(text, **values):
    """Fill ``%(name)s`` placeholders of a translated string as ``{% blocktranslate %}`` does.

    Values are escaped, numbers are written the locale's way ("1,5" in Dutch) and times
    are local.
    """
    return escape(text) % {name: display(value) for name, value in values.items()}


def date(value, arg=None):
    """Django's ``date`` filter, given local time as Django templates give it."""
    return defaultfilters.date(template_localtime(value), arg)


def time(value, arg=None):
    """Django's ``time`` filter, given local time as Django templates give it."""
    return defaultfilters.time(template_localtime(value), arg)


@cache
def _choice_labels(model, field_name):
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(instance, field_name):
    """``instance.get_<field>_display()``, without rebuilding the field's choices each call.

    Django's method hashes every (lazily translated) choice on each call; a task card
    shows two of these, so a page with a dozen tasks spent a third of a millisecond here.
    """
    value = getattr(instance, field_name)
    return _choice_labels(type(instance), field_name).get(value, value)


def bar_width(percentage):
    """Clamp a progress percentage to the bar's 0-100 range (the label may pass 100)."""
    try:
        return max(0, min(100, int(percentage)))
    except (TypeError, ValueError):
        return 0


def language_links(request):
    """Links to the current page in each language; plain links keep cached pages CSRF-free."""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    path = request.get_full_path()
    return [
        {"code": code, "name": name, "url": translate_url(path, code), "active": code == current}
        for code, name in settings.LANGUAGES
    ]


def environment(**options):
    # Always escaped: {% jinja_partial %} marks what these templates render as safe.
    env = Environment(**{**options, "autoescape": True})
    env.install_gettext_translations(translation, newstyle=False)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "language_links": language_links,
            "plurals": plurals,
        }
    )
    env.filters.update(
        {
            "fmt": fmt,
            "choice_label": choice_label,
            "money": format_money,
            "bar_width": bar_width,
            "date": date,
            "time": time,
            "floatformat": defaultfilters.floatformat,
            "linebreaks": defaultfilters.linebreaks_filter,
            "urlencode": defaultfilters.urlencode,
        }
    )
    return env
