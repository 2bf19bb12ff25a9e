"""Help and accepted offers as sources of support, counted by ``campaigns.services.totals``.

Registered in :meth:`tasks.apps.TasksConfig.ready`, so that the campaigns app counts
supporters without importing this app.
"""

from tasks.models import Offer, SignUp


def _excluding(queryset, kind, exclude):
    excluded_kind, excluded_pk = exclude
    return queryset.exclude(pk=excluded_pk) if excluded_kind == kind else queryset


def _page_ids(campaigns):
    return [campaign.page_id for campaign in campaigns]


class SignUpSupport:
    """Helpers signed up for (or done with) a task of the campaign."""

    kind = "signup"

    def _active(self, page_ids):
        return SignUp.objects.filter(
            task__initiative_id__in=page_ids, status__in=SignUp.ACTIVE_STATUSES
        )

    def keys(self, campaigns):
        user_ids = self._active(_page_ids(campaigns)).values_list("user_id", flat=True)
        return (f"user:{user_id}" for user_id in user_ids)

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
        for user_id, organisation_id in self._accepted(_page_ids(campaigns)).values_list(
            "user_id", "organisation_id"
        ):
            yield f"org:{organisation_id}" if organisation_id else f"user:{user_id}"

    def has_key(self, campaign, key, exclude):
        kind, _, value = key.partition(":")
        offers = _excluding(self._accepted([campaign.page_id]), self.kind, exclude)
        if kind == "org":
            return offers.filter(organisation_id=int(value)).exists()
        if kind == "user":
            return offers.filter(user_id=int(value), organisation__isnull=True).exists()
        return False
