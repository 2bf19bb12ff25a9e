"""The staff pledge listing's filter and columns, built to stay cheap on a million pledges."""

import django_filters
from django import forms
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import TitleColumn

from campaigns.models import Campaign, Pledge
from core.admin_paging import CappedCountPaginator, KeysetPagingMixin


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


# The CSV's columns: the pledge's own fields, and what it reads of its campaign and donor,
# joined in SQL and read as plain values, so a million rows build no model objects
# (tests/campaigns/test_staff_pledge_listing.py counts the queries, the job's build
# measures the time: bench/README.md).
EXPORTED_PLEDGE_COLUMNS = [
    "id",
    "reference",
    "campaign_id",
    "campaign_title",
    "campaign_status",
    "amount_cents",
    "currency",
    "status",
    "email",
    "public_name",
    "is_anonymous",
    "message",
    "flagged_reason",
    "created_at",
    "paid_at",
]
EXPORTED_PLEDGE_ANNOTATIONS = {
    "campaign_title": F("campaign__page__draft_title"),
    "campaign_status": F("campaign__status"),
    "email": Coalesce(NullIf(F("donor__email"), Value("")), F("guest_email")),
}
EXPORTED_PLEDGE_HEADINGS = {
    "campaign_id": _("Campaign number"),
    "campaign_title": capfirst(_("campaign")),
    "campaign_status": _("Campaign status"),
    "email": _("E-mail address"),
}


def campaign_status_label(value):
    return str(Campaign.Status(value).label)


class PledgeListingMixin(KeysetPagingMixin):
    """Newest first, in a stable order that the (campaign, created_at, id) and (created_at, id)
    indexes serve, paged by seeking on that key (``KeysetPagingMixin``) in either direction of
    the "created" column; the other columns' orderings page by number. Counted up to a cap
    (``CappedCountPaginator``); the CSV streams (``core.exports``)."""

    paginator_class = CappedCountPaginator
    custom_field_preprocess = {
        "campaign_status": {"csv": campaign_status_label, "xlsx": campaign_status_label}
    }
    keyset_orderings = {
        "-created_at": ("-created_at", "-id"),
        "created_at": ("created_at", "id"),
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign__page")

    def get_export_queryset(self):
        """The filtered, ordered rows as dicts of the columns: the campaign's title and
        status and the donor's (or else the guest's) address come from the join."""
        return (
            self.get_queryset()
            .select_related(None)
            .values(
                *(c for c in EXPORTED_PLEDGE_COLUMNS if c not in EXPORTED_PLEDGE_ANNOTATIONS),
                **EXPORTED_PLEDGE_ANNOTATIONS,
            )
        )

    def filter_queryset(self, queryset):
        """A campaign number that does not exist shows no pledges (and says why), not all."""
        if self.filters and self.filters.is_bound and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


def campaign_filter_column():
    """The pledge's campaign, linking to the list of that campaign's pledges."""
    return TitleColumn(
        "campaign",
        label=capfirst(_("campaign")),
        get_url=lambda pledge: f"{reverse('pledges:index')}?campaign={pledge.campaign_id}",
    )
