"""Who may do what with an initiative. One place, so views and templates agree."""

from accounts.models import Membership
from accounts.permissions import MODERATOR_GROUP, is_moderator

__all__ = ["MODERATOR_GROUP", "is_moderator", "is_initiator", "can_edit_initiative"]


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
