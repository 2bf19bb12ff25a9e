from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from cms.money import format_money

register = template.Library()


@register.filter
def money(cents, currency="EUR"):
    return format_money(cents, currency)


@register.simple_tag(takes_context=True)
def jinja_partial(context, template_name, **values):
    """Render a shared Jinja2 part (``templates/jinja2/partials/``) inside a Django template.

    It gets the request, so Jinja2's context processors give it the user, the messages
    and the CSRF input, plus the values passed to the tag.
    """
    template = engines["jinja2"].get_template(template_name)
    return mark_safe(template.render(values, request=context.get("request")))


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (for filters and paging)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
