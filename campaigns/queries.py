"""Read-side queries for initiative cards (the listing, the home and neighbourhood pages).

The initiative page reads its own data (``InitiativePage.get_context``).
"""

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
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


def matching_initiative_ids(query):
    """Ids of the live initiatives that match a visitor's search, on every database.

    Two searches, joined: Wagtail's full-text search (stemmed words, over the story too),
    and a plain infix match on title, summary (Dutch and English) and location for every
    word of three letters or more. Dutch glues words together ("Geveltuinen", "Buurtmoestuin"), so "tuin" must
    match inside a word; Wagtail's autocomplete only matches word prefixes (SQLite FTS5
    ``tuin*``, PostgreSQL ``to_tsquery('tuin:*')``) and its trigram ``fuzzy`` search exists
    only on PostgreSQL, so the infix part is an ORM ``icontains``, which behaves the same on
    SQLite and PostgreSQL.
    """
    pages = InitiativePage.objects.live()
    ids = {page.pk for page in pages.search(query)}
    terms = [term for term in query.split() if len(term) >= MIN_INFIX_LENGTH]
    if terms:
        infix = pages
        for term in terms:
            matches = Q()
            for field in INFIX_FIELDS:
                matches |= Q(**{f"{field}__icontains": term})
            infix = infix.filter(matches)
        ids.update(infix.values_list("pk", flat=True))
    return ids


def _ordered(queryset, sort):
    """The listing's order: live ones first (closing soonest first), then funded, then the rest.

    ``newest`` (the latest to go live first), ``closing`` (live ones by deadline, then the
    most recently closed) and ``supported`` (most supporters first) replace it.
    """
    status = "campaign__status"
    if sort == SORT_NEWEST:
        return queryset.order_by(F("campaign__live_at").desc(nulls_last=True), "-pk")
    if sort == SORT_SUPPORTED:
        return queryset.order_by("-campaign__supporter_count", "-campaign__raised_cents", "pk")
    live_deadline = Case(When(**{status: Campaign.Status.LIVE}, then=F("deadline")))
    if sort == SORT_CLOSING:
        group = Case(When(**{status: Campaign.Status.LIVE}, then=Value(0)), default=Value(1))
    else:
        group = Case(
            When(**{status: Campaign.Status.LIVE}, then=Value(0)),
            When(**{f"{status}__in": Campaign.FUNDED_STATUSES}, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    return queryset.annotate(listing_group=group).order_by(
        "listing_group", live_deadline.asc(nulls_last=True), "-deadline", "pk"
    )


def initiative_cards(*, status=None, neighbourhood=None, category=None, ids=None, sort=None):
    """Published initiatives with their campaign, cover rendition and neighbourhood name."""
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    queryset = (
        InitiativePage.objects.live()
        .select_related("campaign")
        .prefetch_related(Prefetch("cover_image", queryset=images))
        .filter(campaign__status__in=Campaign.PUBLIC_STATUSES)
    )
    if status:
        queryset = queryset.filter(campaign__status=status)
    if neighbourhood is not None:
        queryset = queryset.descendant_of(neighbourhood)
    if category:
        queryset = queryset.filter(category=category)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return _ordered(_with_neighbourhood_title(queryset), sort)
