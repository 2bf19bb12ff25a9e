"""Who may do what with an initiative. One place, so views and templates agree."""

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import MODERATOR_GROUP, is_moderator
from campaigns.models import Match

__all__ = [
    "MODERATOR_GROUP",
    "can_approve_payouts",
    "can_edit_initiative",
    "can_see_receipts",
    "can_view_initiative",
    "is_initiator",
    "is_moderator",
    "require_visible_initiative",
]

PAYOUT_PERMISSION = "campaigns.change_payout"


def is_initiator(user, campaign):
    if not user.is_authenticated:
        return False
    return campaign.initiators.filter(pk=user.pk).exists()


def can_edit_initiative(user, campaign):
    return is_initiator(user, campaign) or is_moderator(user)


def can_manage_tasks(user, campaign):
    """Initiators and moderators edit tasks, see helpers' contact details and decide offers."""
    return can_edit_initiative(user, campaign)


def _membership_role(user, organisation):
    if not user.is_authenticated:
        return None
    return organisation.membership_set.filter(user=user).values_list("role", flat=True).first()


def can_see_fund(user, organisation):
    """A fund's members (any role) see its programmes' applications and decide them;
    moderators do too, from the Wagtail admin or the dashboard."""
    return is_moderator(user) or _membership_role(user, organisation) is not None


def can_manage_programmes(user, organisation):
    """Only a fund's administrators (and moderators) create and change its programmes."""
    return is_moderator(user) or _membership_role(user, organisation) == Membership.Role.ADMIN


def can_view_initiative(request, campaign):
    """May this visitor see the initiative, as Wagtail would decide when serving its page?

    The page must be live and let the request past its view restrictions (and those of
    its ancestors), unless the visitor may edit it. Views that reach an initiative through
    a task, an offer or an update ask this, so that counting ids reveals no draft.
    """
    page = campaign.page
    if page.live and all(
        restriction.accept_request(request) for restriction in page.get_view_restrictions()
    ):
        return True
    return can_edit_initiative(request.user, campaign)


def require_visible_initiative(request, campaign):
    """Answer 404, as Wagtail does for a page that is not there for this visitor."""
    if not can_view_initiative(request, campaign):
        raise Http404(_("This initiative is not available."))
    return campaign


def can_approve_payouts(user):
    """Staff with the payout permission (superusers, or a group given ``change_payout``)."""
    return user.is_authenticated and user.is_staff and user.has_perm(PAYOUT_PERMISSION)


def can_see_receipts(user, campaign):
    """Receipt files are private: staff, the initiators, and the members of the funds whose
    programmes matched the initiative see them."""
    if not user.is_authenticated:
        return False
    if user.is_staff or is_moderator(user):
        return True
    return is_initiator(user, campaign) or _matched_by_fund_of(user, campaign)


def _matched_by_fund_of(user, campaign):
    return Match.objects.filter(
        campaign=campaign,
        status__in=Match.ACTIVE_STATUSES,
        programme__organisation__members=user,
    ).exists()
