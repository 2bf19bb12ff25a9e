"""Updates from initiators, and following an initiative."""

from django.db import IntegrityError, transaction

from accounts.notify import notify
from campaigns import audit
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Follow, InitiativeUpdate


@transaction.atomic
def post_update(*, campaign, author, title, body, image=None):
    update = InitiativeUpdate.objects.create(
        campaign=campaign, author=author, title=title, body=body, image=image
    )
    audit.record(update, "update_posted", actor=author)
    forget_initiative_page_on_commit(campaign.page_id)
    notify("update.posted", update_id=update.pk)
    return update


def set_following(*, campaign, user, follow):
    if follow:
        try:
            with transaction.atomic():
                Follow.objects.create(campaign=campaign, user=user)
        except IntegrityError:
            pass
    else:
        Follow.objects.filter(campaign=campaign, user=user).delete()
