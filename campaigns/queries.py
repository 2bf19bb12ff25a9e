"""Read-side queries for initiative cards (the listing, the home and neighbourhood pages).

The initiative page reads its own data (``InitiativePage.get_context``).
"""

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import Campaign, InitiativePage

CARD_RENDITION = "fill-640x360"


def _with_neighbourhood_title(queryset):
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    parent = Page.objects.filter(path=parent_path).values("title")[:1]
    return queryset.annotate(neighbourhood_title=Subquery(parent))


MIN_INFIX_LENGTH = 3
INFIX_FIELDS = ("title", "summary", "title_en", "summary_en", "location")

SORT_DEFAULT = ""
SORT_NEWEST = "newest"
SORT_CLOSING = "closing"
SORT_SUPPORTED = "supported"


def search_filter(query):
    """A ``Q`` of the initiatives that match a visitor's search, or None for no search words.

    Every word of three letters or more must occur inside the title, the summary (Dutch or
    English) or the location. Dutch glues words together ("Geveltuinen",
    "Buurtmoestuin"), so "tuin" must match inside a word, which neither Wagtail's
    full-text search nor its autocomplete does (they match words and word prefixes). The
    match is an ORM ``icontains``, the same on SQLite and PostgreSQL; on PostgreSQL it is
    ``UPPER(column) LIKE '%TUIN%'``, served by the trigram (``pg_trgm``) GIN indexes of
    migration 0020, and it stays one SQL filter, so a common word costs no more than a
    rare one. The story (a StreamField) is not searched here.
    """
    terms = [term for term in query.split() if len(term) >= MIN_INFIX_LENGTH]
    if not terms:
        return None
    matches = Q()
    for term in terms:
        any_field = Q()
        for field in INFIX_FIELDS:
            any_field |= Q(**{f"{field}__icontains": term})
        matches &= any_field
    return matches


def matching_initiative_ids(query):
    """Ids of the live initiatives that match ``query`` (tests and small callers)."""
    matches = search_filter(query)
    if matches is None:
        return set()
    return set(InitiativePage.objects.live().filter(matches).values_list("pk", flat=True))


def _ordered(queryset, sort):
    """The listing's order, each read from one index on the campaign.

    Default: live first (closing soonest first), then funded, then the rest
    (``listing_rank``); ``closing``: live ones by deadline, then the most recently closed
    (``closing_rank``); ``newest``: the latest to go live first; ``supported``: most
    supporters first. ``Campaign.listing_keys`` explains the two ranks.
    """
    if sort == SORT_NEWEST:
        return queryset.order_by(
            F("campaign__live_at").desc(nulls_last=True), F("campaign__page").desc()
        )
    if sort == SORT_SUPPORTED:
        return queryset.order_by(
            "-campaign__supporter_count", "-campaign__raised_cents", "campaign__page"
        )
    if sort == SORT_CLOSING:
        return queryset.order_by("campaign__closing_rank", "campaign__page")
    return queryset.order_by("campaign__listing_rank", "campaign__page")


def initiative_cards(*, status=None, place=None, category=None, search=None, sort=None):
    """Published initiatives with their campaign, cover rendition and neighbourhood name.

    ``place`` is a city or neighbourhood page; ``search`` is a ``Q`` from :func:`search_filter`.
    """
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    queryset = (
        InitiativePage.objects.live()
        .select_related("campaign")
        .prefetch_related(Prefetch("cover_image", queryset=images))
        .filter(campaign__status__in=Campaign.PUBLIC_STATUSES)
    )
    if status:
        queryset = queryset.filter(campaign__status=status)
    if place is not None:
        queryset = queryset.descendant_of(place)
    if category:
        queryset = queryset.filter(category=category)
    if search is not None:
        queryset = queryset.filter(search)
    return _ordered(_with_neighbourhood_title(queryset), sort)
