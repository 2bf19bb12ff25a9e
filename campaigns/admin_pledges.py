"""The staff pledge listing's filter and columns, built to stay cheap on a million pledges."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import TitleColumn

from campaigns.models import Campaign, Pledge


class PledgeFilterSet(WagtailFilterSet):
    """The campaign is chosen by its number, never from a list of every campaign.

    A ``<select>`` of 100,000 campaigns is unusable and costs a query per option label (the
    label reads the campaign's page). The number comes from the pledge list itself: each
    row's campaign links to this filter. The chosen campaign is read once, with its page,
    for the "active filter" label.
    """

    campaign = django_filters.ModelChoiceFilter(
        label=capfirst(_("campaign")),
        queryset=Campaign.objects.select_related("page"),
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("The campaign's number; click a campaign in the list to filter by it."),
        error_messages={"invalid_choice": _("There is no campaign with this number.")},
    )

    class Meta:
        model = Pledge
        fields = ["campaign", "status", "created_at"]


def campaign_filter_column():
    """The pledge's campaign, linking to the list of that campaign's pledges."""
    return TitleColumn(
        "campaign",
        label=capfirst(_("campaign")),
        get_url=lambda pledge: f"{reverse('pledges:index')}?campaign={pledge.campaign_id}",
    )
