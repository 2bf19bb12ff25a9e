"""The neighbourhood's register on its page (``cms``), which may not import tasks."""

from django import template
from django.core.paginator import Paginator
from django.http import QueryDict

from tasks.forms import RegisterFilterForm
from tasks.reporting import listed_standing_offers

register = template.Library()

ITEMS_PER_PAGE = 12


@register.simple_tag(takes_context=True)
def neighbourhood_register(context, neighbourhood):
    """The neighbourhood's listed items, filtered by the query string and paginated.

    Available items come before paused ones, newest first. A filter that is not valid is
    ignored and its message shown; the request is marked so the page answers 400.
    """
    request = context["request"]
    form = RegisterFilterForm(request.GET or None)
    items = (
        listed_standing_offers()
        .filter(neighbourhood=neighbourhood)
        .select_related("organisation", "user")
        .order_by("status", "-created_at", "-pk")  # "offered" before "paused"
    )
    if form.is_bound:
        if not form.is_valid():
            request.register_filters_invalid = True
        items = form.filter(items)
    data = getattr(form, "cleaned_data", {})
    page = Paginator(items, ITEMS_PER_PAGE).get_page(data.get("page") or 1)
    query = QueryDict(mutable=True)
    for name in form.fields:
        if name != "page" and request.GET.get(name):
            query[name] = request.GET[name]
    return {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(query),
    }
