"""Who may do what with an initiative. One place, so views and templates agree."""

from accounts.permissions import MODERATOR_GROUP, is_moderator

__all__ = [
    "MODERATOR_GROUP",
    "is_moderator",
    "is_initiator",
    "can_edit_initiative",
    "can_approve_payouts",
    "can_see_receipts",
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
