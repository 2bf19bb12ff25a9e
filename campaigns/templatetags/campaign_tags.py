"""Initiatives on the pages of the cms app (home, neighbourhood), which may not import us."""

from django import template

from campaigns.queries import initiative_cards
from campaigns.services.impact import visible_report
from campaigns.services.spending import spending_per_budget_line
from core.paging import lookahead_page

register = template.Library()

HOME_PAGE_CARDS = 12
NEIGHBOURHOOD_PAGE_CARDS = 12


@register.simple_tag
def live_initiative_cards(limit=HOME_PAGE_CARDS):
    """The live initiatives that end soonest, as cards."""
    return initiative_cards(status="live")[:limit]


@register.simple_tag
def neighbourhood_initiative_cards(neighbourhood, limit=NEIGHBOURHOOD_PAGE_CARDS):
    """The first page (``limit`` cards) of a neighbourhood's public initiatives in the
    listing's order; ``has_next()`` says the rest are on the listing filtered to it."""
    return lookahead_page(initiative_cards(place=neighbourhood), None, limit)


@register.simple_tag
def spending_lines(campaign):
    """Per budget line, what an approved account of spending says was spent (no files)."""
    if campaign is None:
        return []
    return spending_per_budget_line(campaign)


@register.simple_tag
def impact_report(campaign):
    """The impact report the public sees (participants, story, photos), or None."""
    if campaign is None:
        return None
    return visible_report(campaign)
