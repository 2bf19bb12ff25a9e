"""Who may do what with an initiative. One place, so views and templates agree."""

MODERATOR_GROUP = "Moderators"


def is_moderator(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == MODERATOR_GROUP for group in user.groups.all())


def is_initiator(user, campaign):
    if not user.is_authenticated:
        return False
    return campaign.initiators.filter(pk=user.pk).exists()


def can_edit_initiative(user, campaign):
    return is_initiator(user, campaign) or is_moderator(user)


def can_manage_tasks(user, campaign):
    """Initiators and moderators edit tasks, see helpers' contact details and decide offers."""
    return can_edit_initiative(user, campaign)
