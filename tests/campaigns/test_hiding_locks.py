"""A moderator hiding an update or an impact report waits for the campaign lock before it
writes anything, on a real PostgreSQL: the documented lock order (campaign, then item)."""

import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, ImpactReport, InitiativeUpdate
from campaigns.services import updates as update_services
from core import moderation
from tests.factories import make_initiative, moderator, site_tree

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _update(campaign):
    return update_services.post_update(
        campaign=campaign, author=campaign.initiators.get(), title="Spam", body="Koop nu."
    )


def _impact(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.REALISED)
    return ImpactReport.objects.create(campaign=campaign, participants=12, story="Koop nu.")


MAKERS = {"update": (_update, InitiativeUpdate), "impact": (_impact, ImpactReport)}


def _wait_for_a_lock_wait(timeout=20):
    """Until another session waits for a lock (``pg_locks`` is read live, unlike
    ``pg_stat_activity``, which keeps one snapshot per transaction)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_hiding_waits_for_the_campaign_lock_before_touching_the_item(requires_postgres, key):
    campaign = make_initiative(site_tree()[2])
    make, model = MAKERS[key]
    item = make(campaign)
    moderation.file_report(key=key, object_id=item.pk, reason="spam")
    staff = moderator()
    content_type = ContentType.objects.get_for_model(model)
    errors = []

    def hide():
        try:
            moderation.hide_reported(content_type=content_type, object_id=item.pk, actor=staff)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    hider = threading.Thread(target=hide)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # an initiator's service
        hider.start()
        assert _wait_for_a_lock_wait(), "the moderator's transaction never waited"
        try:
            with transaction.atomic():
                model.objects.select_for_update(nowait=True).get(pk=item.pk)
            item_free = True
        except DatabaseError:
            item_free = False
        assert model.objects.get(pk=item.pk).hidden_at is None
    hider.join(timeout=30)

    assert item_free, "hiding wrote the item before it held the campaign lock"
    assert not hider.is_alive() and not errors
    assert model.objects.get(pk=item.pk).hidden_at is not None
    assert AuditEntry.objects.filter(
        action=Action.CONTENT_HIDDEN, object_id=str(item.pk), actor=staff
    ).exists()
