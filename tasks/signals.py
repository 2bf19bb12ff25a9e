"""Keep the totals right when a person's account is deleted, whichever way it is deleted."""

from tasks.services import release_user_support


def release_support_of_deleted_user(sender, instance, **kwargs):
    """Before a user row goes (Wagtail's user admin, Django's admin, a future "delete my
    account"), withdraw their sign-ups and offers so that the cascade deletes rows that
    no longer count."""
    release_user_support(instance)
