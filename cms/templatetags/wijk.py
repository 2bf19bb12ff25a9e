from django import template

from cms.money import format_money

register = template.Library()


@register.filter
def money(cents, currency="EUR"):
    return format_money(cents, currency)


@register.filter
def bar_width(percentage):
    """Clamp a progress percentage to the bar's 0-100 range (the label may pass 100)."""
    try:
        return max(0, min(100, int(percentage)))
    except (TypeError, ValueError):
        return 0


@register.filter
def total_cents(items):
    """The sum of ``amount_cents`` over budget lines (or anything with that field)."""
    return sum(item.amount_cents for item in items)


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


@register.simple_tag(takes_context=True)
def url_with_page(context, param, number):
    """``url_with`` for a page parameter whose name is a variable (several lists a page)."""
    return url_with(context, **{param: number})
