from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.permissions import register_permission_policy

from campaigns.admin_organisations import kvk_check_menu_item, organisation_admin_urlpatterns
from campaigns.admin_payouts import (
    PayoutBatchViewSet,
    PayoutViewSet,
    SpendingProofPolicy,
    SpendingProofViewSet,
    payout_admin_urlpatterns,
)
from campaigns.admin_views import (
    MoneyViewSetGroup,
    ReadOnlyPolicy,
    RefundPolicy,
    admin_urlpatterns,
    initiative_admin_urlpatterns,
)
from campaigns.funding_admin import FundingViewSetGroup, funding_admin_urlpatterns
from campaigns.models import (
    AuditEntry,
    Campaign,
    InitiativePage,
    Match,
    Payout,
    PayoutBatch,
    Pledge,
    ProgrammeApplication,
    Refund,
    SpendingProof,
    WebhookEvent,
)
from campaigns.permissions import is_moderator

for ledger_model in (
    Pledge,
    WebhookEvent,
    AuditEntry,
    Payout,
    PayoutBatch,
    Match,
    ProgrammeApplication,
):
    register_permission_policy(ledger_model, ReadOnlyPolicy(ledger_model))
register_permission_policy(SpendingProof, SpendingProofPolicy(SpendingProof))
register_permission_policy(Refund, RefundPolicy(Refund))


class MoneyAndPayoutsViewSetGroup(MoneyViewSetGroup):
    items = (*MoneyViewSetGroup.items, PayoutViewSet, PayoutBatchViewSet, SpendingProofViewSet)


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    return MoneyAndPayoutsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_funding_viewsets():
    return FundingViewSetGroup()


@hooks.register("register_admin_urls")
def register_money_urls():
    return [
        path("money/", include(admin_urlpatterns)),
        path("co-funding/", include(funding_admin_urlpatterns)),
        path("initiatives/", include(initiative_admin_urlpatterns)),
        path("organisations/", include(organisation_admin_urlpatterns)),
        path("money/", include(payout_admin_urlpatterns)),
    ]


@hooks.register("register_admin_menu_item")
def register_kvk_check_menu_item():
    return kvk_check_menu_item()


def _cancel_button(page, user, priority):
    """A moderator's "Cancel initiative" button for a live initiative, else nothing."""
    if page.specific_class is not InitiativePage or not is_moderator(user):
        return
    if Campaign.objects.filter(page_id=page.pk, status=Campaign.Status.LIVE).exists():
        yield wagtailadmin_widgets.Button(
            _("Cancel initiative"),
            reverse("campaign_cancel", args=[page.pk]),
            icon_name="cross",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def cancel_initiative_listing_button(page, user, next_url=None):
    yield from _cancel_button(page, user, priority=45)


@hooks.register("register_page_header_buttons")
def cancel_initiative_header_button(page, user, view_name, next_url=None):
    yield from _cancel_button(page, user, priority=62)
