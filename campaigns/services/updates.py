"""Updates from initiators, and following an initiative."""

from django.db import IntegrityError, transaction

from campaigns import audit
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.events import UpdatePosted
from campaigns.models import DigestItem, Follow, InitiativeUpdate
from core.events import announce


def add_digest_item(*, campaign_id, kind, object_id, summary):
    """Note something new for the initiators' hourly digest, in the caller's transaction.

    At most one item per object (``kind``, ``object_id``), also when the caller runs twice.
    """
    DigestItem.objects.bulk_create(
        [
            DigestItem(
                campaign_id=campaign_id, kind=kind, object_id=object_id, summary=summary[:300]
            )
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def post_update(*, campaign, author, title, body, image=None):
    update = InitiativeUpdate.objects.create(
        campaign=campaign, author=author, title=title, body=body, image=image
    )
    audit.record(update, audit.Action.UPDATE_POSTED, actor=author)
    forget_initiative_page_on_commit(campaign.page_id)
    announce(UpdatePosted(update_id=update.pk))
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
