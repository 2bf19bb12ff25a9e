"""Who may do what with an initiative. One place, so views and templates agree."""

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
