"""Impact after realisation: the initiators tell what happened (participants, story, photos).

Only the initiators of a realised initiative may write it. The report shows at once and
counts in the meter's participants; the public may report it (``core.reports``), and a
report a moderator hid can no longer be changed by the initiators. Lock order: the
campaign, then its report.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Campaign, ImpactPhoto, ImpactReport
from campaigns.models.impact import MAX_PARTICIPANTS, MAX_PHOTOS
from campaigns.permissions import is_initiator
from campaigns.services.errors import ServiceError, TransitionNotAllowed
from campaigns.services.locks import lock_campaign
from campaigns.services.payouts import NotAllowed


@dataclass(frozen=True)
class NewPhoto:
    """An uploaded picture (already checked by ``core.forms.ImageUploadField``) and its alt text."""

    file: object
    alt_text: str


def check_may_report(campaign, user):
    """Raise unless ``user`` may write the impact report of ``campaign`` now."""
    if not is_initiator(user, campaign):
        raise NotAllowed(_("Only the initiators can tell what happened."))
    if campaign.status != Campaign.Status.REALISED:
        raise TransitionNotAllowed(
            _(
                "You can tell what happened once the initiative is realised: after a "
                "moderator approved the account of spending."
            )
        )


def too_many_photos_message():
    return _("An impact report holds at most %(max)s photos. Remove one before adding another.") % {
        "max": MAX_PHOTOS
    }


def participants_message():
    return _("Enter the number of participants, from 1 to %(max)s.") % {"max": MAX_PARTICIPANTS}


@transaction.atomic
def save_impact_report(
    *, campaign, user, participants, story, new_photos=(), alt_texts=None, remove_photo_ids=()
):
    """Write or change the impact report, its photos' alt texts, removals and additions.

    ``alt_texts`` maps the ids of kept photos to their (changed) alt text. Photos removed
    lose their Wagtail image as well: it was uploaded for this report only.
    """
    campaign = lock_campaign(campaign.pk)
    check_may_report(campaign, user)
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise ServiceError(participants_message())
    if any(not photo.alt_text.strip() for photo in new_photos):
        raise ServiceError(_("Describe each photo for people who cannot see it."))
    report = ImpactReport.objects.select_for_update().filter(campaign=campaign).first()
    if report is not None and report.hidden_at is not None:
        raise TransitionNotAllowed(
            _("A moderator took this impact report down; it cannot be changed now.")
        )
    created = report is None
    if created:
        report = ImpactReport(campaign=campaign)
    report.participants, report.story, report.author = participants, story, user
    report.save()

    photos = {photo.pk: photo for photo in report.photos.select_related("image")}
    removed = [photos.pop(pk) for pk in sorted(set(remove_photo_ids)) if pk in photos]
    if len(photos) + len(new_photos) > MAX_PHOTOS:
        raise ServiceError(too_many_photos_message())
    for photo in removed:
        photo.image.delete()  # cascades to the photo; Wagtail drops the file after commit
    for pk, alt_text in (alt_texts or {}).items():
        photo = photos.get(pk)
        if photo is not None and alt_text.strip() and alt_text != photo.alt_text:
            photo.alt_text = alt_text
            photo.save(update_fields=["alt_text"])
    position = max((photo.position for photo in photos.values()), default=-1) + 1
    Image = get_image_model()
    for offset, new in enumerate(new_photos):
        image = Image.objects.create(
            title=f"{campaign.page.title}: {new.alt_text}"[:255],
            file=new.file,
            uploaded_by_user=user,
        )
        ImpactPhoto.objects.create(
            report=report, image=image, alt_text=new.alt_text, position=position + offset
        )

    audit.record(
        report,
        Action.IMPACT_REPORTED,
        actor=user,
        participants=participants,
        created=created,
        photos_added=len(new_photos),
        photos_removed=len(removed),
    )
    forget_initiative_page_on_commit(campaign.page_id)
    return report


def visible_report(campaign):
    """The report the public sees (not hidden), with its photos, or None."""
    return (
        ImpactReport.objects.filter(campaign=campaign, hidden_at__isnull=True)
        .prefetch_related("photos__image")
        .first()
    )
