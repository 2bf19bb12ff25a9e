"""Read-side queries for initiative cards (the listing, the home and neighbourhood pages).

The initiative page reads its own data (``InitiativePage.get_context``).
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import Campaign, InitiativePage

CARD_RENDITION = "fill-640x360"


def _with_neighbourhood_title(queryset):
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    parent = Page.objects.filter(path=parent_path).values("title")[:1]
    return queryset.annotate(neighbourhood_title=Subquery(parent))


def initiative_cards(*, status=None, neighbourhood=None, category=None, ids=None):
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
    return _with_neighbourhood_title(queryset).order_by("deadline", "pk")
