"""A moderator's check of an organisation's KvK number.

It lives here, above ``accounts``, because the audit log does: an organisation shows as
verified only after a moderator compared its name with the KvK register, and who did so
and when is written to the audit log in the same transaction.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from campaigns import audit
from campaigns.audit import Action
from campaigns.permissions import is_moderator
from campaigns.services.errors import ServiceError


def _locked(organisation, moderator):
    if not is_moderator(moderator):
        raise ServiceError(_("Only moderators can check organisations."))
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def verify_organisation(*, organisation, moderator):
    """The moderator checked the KvK number against the register: show it as verified."""
    organisation = _locked(organisation, moderator)
    if not organisation.kvk_number:
        raise ServiceError(_("An organisation without a KvK number cannot be verified."))
    if organisation.is_verified:
        raise ServiceError(_("This organisation is already verified."))
    organisation.verified_at = timezone.now()
    organisation.verified_by = moderator
    organisation.save(update_fields=["verified_at", "verified_by"])
    audit.record(
        organisation,
        Action.ORGANISATION_VERIFIED,
        actor=moderator,
        from_state="unverified",
        to_state="verified",
        kvk_number=organisation.kvk_number,
        name=organisation.name,
    )
    return organisation


@transaction.atomic
def unverify_organisation(*, organisation, moderator):
    """Take the verified badge away again (a mistake, or the register says otherwise)."""
    organisation = _locked(organisation, moderator)
    if not organisation.is_verified:
        raise ServiceError(_("This organisation is not verified."))
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.save(update_fields=["verified_at", "verified_by"])
    audit.record(
        organisation,
        Action.ORGANISATION_UNVERIFIED,
        actor=moderator,
        from_state="verified",
        to_state="unverified",
        kvk_number=organisation.kvk_number,
    )
    return organisation
