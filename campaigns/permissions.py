"""Who may do what with an initiative. One place, so views and templates agree."""

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import MODERATOR_GROUP, is_moderator

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
    """Receipt files are private: staff and the initiators see them.

    Members of funds that matched the initiative will see them too: their check is added
    here when funding programmes land (``campaigns.models.funding``).
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or is_moderator(user):
        return True
    return is_initiator(user, campaign)
