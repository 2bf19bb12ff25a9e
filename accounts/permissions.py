"""Who people are on the platform, for the permission checks of every app."""

MODERATOR_GROUP = "Moderators"


def is_moderator(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == MODERATOR_GROUP for group in user.groups.all())
