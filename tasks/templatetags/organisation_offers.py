"""What an organisation gave and offers, for its profile page (an accounts template)."""

from django import template
from django.db.models import Sum

from tasks.models import Offer
from tasks.reporting import public_standing_offers

register = template.Library()


@register.inclusion_tag("tasks/_organisation_offers.html")
def organisation_offers(organisation):
    given = Offer.objects.filter(
        organisation=organisation, status=Offer.Status.ACCEPTED, task__isnull=False
    ).select_related("task__initiative")
    standing = (
        public_standing_offers().filter(organisation=organisation).select_related("neighbourhood")
    )
    return {
        "given": given,
        "given_value_cents": given.aggregate(total=Sum("estimated_value_cents"))["total"] or 0,
        "standing": standing,
    }
