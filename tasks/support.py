"""Help and accepted offers as sources of support, counted by ``campaigns.services.totals``.

Registered in :meth:`tasks.apps.TasksConfig.ready`, so that the campaigns app counts
supporters without importing this app.
"""

from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.functions import Cast, Concat

from campaigns.services.totals import support_keys
from tasks.models import Offer, SignUp


def _excluding(queryset, kind, exclude):
    excluded_kind, excluded_pk = exclude
    return queryset.exclude(pk=excluded_pk) if excluded_kind == kind else queryset


def _page_ids(campaigns):
    if isinstance(campaigns, QuerySet):
        return campaigns.values("page_id")
    return [campaign.page_id for campaign in campaigns]


def _user_key(field="user_id"):
    return Concat(Value("user:"), Cast(field, CharField()))


class SignUpSupport:
    """Helpers signed up for (or done with) a task of the campaign."""

    kind = "signup"

    def _active(self, page_ids):
        return SignUp.objects.filter(
            task__initiative_id__in=page_ids, status__in=SignUp.ACTIVE_STATUSES
        )

    def keys(self, campaigns):
        return support_keys(self._active(_page_ids(campaigns)), _user_key())

    def has_key(self, campaign, key, exclude):
        kind, _, value = key.partition(":")
        if kind != "user":
            return False
        signups = _excluding(self._active([campaign.page_id]), self.kind, exclude)
        return signups.filter(user_id=int(value)).exists()


class OfferSupport:
    """Givers of accepted offers: the organisation, or the person offering alone."""

    kind = "offer"

    def _accepted(self, page_ids):
        return Offer.objects.filter(task__initiative_id__in=page_ids, status=Offer.Status.ACCEPTED)

    def keys(self, campaigns):
        organisation_key = Concat(Value("org:"), Cast("organisation_id", CharField()))
        key = Case(
            When(organisation__isnull=False, then=organisation_key),
            default=_user_key(),
            output_field=CharField(),
        )
        return support_keys(self._accepted(_page_ids(campaigns)), key)

    def has_key(self, campaign, key, exclude):
        kind, _, value = key.partition(":")
        offers = _excluding(self._accepted([campaign.page_id]), self.kind, exclude)
        if kind == "org":
            return offers.filter(organisation_id=int(value)).exists()
        if kind == "user":
            return offers.filter(user_id=int(value), organisation__isnull=True).exists()
        return False
