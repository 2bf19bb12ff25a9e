"""Matching on the initiative page and the donate form, and open programmes on the city
and neighbourhood pages (cms templates load this library; cms may not import us)."""

from django import template

from campaigns import match_display
from campaigns.models import FundingProgramme

register = template.Library()


@register.simple_tag
def match_offers(campaign):
    """What a donation is worth now, per programme (read fresh: budgets move elsewhere)."""
    if campaign is None or not campaign.is_open_for_support:
        return []
    return match_display.match_offers(campaign)


@register.simple_tag
def match_example_total(offers):
    return match_display.example_total_cents(offers)


@register.simple_tag
def match_split(campaign):
    """``(programme, cents)`` pairs; the page caches them on ``campaign.cache_version``."""
    if campaign is None:
        return []
    return match_display.match_split(campaign)


@register.simple_tag
def matched_total(split):
    return sum(cents for _programme, cents in split)


@register.simple_tag
def open_programmes(place):
    """Open programmes that take initiatives in this city or neighbourhood (or anywhere)."""
    programmes = FundingProgramme.objects.open_on().select_related("organisation").in_match_order()
    programmes = programmes.prefetch_related("places")
    return [
        programme
        for programme in programmes
        if not programme.places.all()
        or any(place.path.startswith(p.path) for p in programme.places.all())
    ]
