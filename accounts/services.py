"""Organisations and their members.

Members have a role: admins edit the organisation and invite people, members offer on its
behalf. The creator becomes its first admin. Whether its KvK number was checked is set by
``campaigns.services.organisations`` (a moderator's action, written to the audit log).
"""

import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.events import OrganisationInvited
from accounts.models import Invitation, Membership, Organisation
from accounts.permissions import is_moderator
from core.errors import ServiceError
from core.events import announce


class InvitationNotValid(ServiceError):
    default_message = _("This invitation link is not valid.")


class InvitationExpired(ServiceError):
    default_message = _(
        "This invitation has expired. Ask an administrator of the organisation for a new one."
    )


class InvitationUsed(ServiceError):
    default_message = _("This invitation was already used.")


class InvitationNotForYou(ServiceError):
    default_message = _(
        "This invitation was sent to another e-mail address. Log in with the address it was "
        "sent to, or add and verify that address in your account."
    )


def is_organisation_admin(user, organisation):
    """``organisation`` is an organisation or its id."""
    if not user.is_authenticated:
        return False
    organisation_id = getattr(organisation, "pk", organisation)
    return Membership.objects.filter(
        organisation_id=organisation_id, user=user, role=Membership.Role.ADMIN
    ).exists()


def can_edit_organisation(user, organisation):
    """Admins of the organisation and moderators edit it and invite people."""
    return is_moderator(user) or is_organisation_admin(user, organisation)


def has_verified_email(user, email):
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _unique_slug(name):
    base = slugify(name)[:120] or "organisatie"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(*, user, organisation):
    organisation.slug = _unique_slug(organisation.name)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def save_organisation(*, organisation, user):
    """Save an admin's edit; a changed KvK number or name needs checking again."""
    if not can_edit_organisation(user, organisation):
        raise ServiceError(_("Only administrators of this organisation can edit it."))
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.full_clean()
    if (stored.kvk_number, stored.name) != (organisation.kvk_number, organisation.name):
        organisation.verified_at = None
        organisation.verified_by = None
    organisation.save()
    return organisation


@transaction.atomic
def invite_member(*, organisation, email, invited_by):
    if not can_edit_organisation(invited_by, organisation):
        raise ServiceError(_("Only administrators of this organisation can invite others."))
    email = email.strip().lower()
    if organisation.members.filter(email__iexact=email).exists():
        raise ServiceError(_("This person is already a member."))
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
    )
    announce(OrganisationInvited(invitation_id=invitation.pk))
    return invitation


def check_invitation(invitation, user):
    """Raise why ``user`` may not accept ``invitation`` (``None`` for a wrong link)."""
    if invitation is None:
        raise InvitationNotValid()
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    if invitation.is_expired:
        raise InvitationExpired()
    if not has_verified_email(user, invitation.email):
        raise InvitationNotForYou()


@transaction.atomic
def accept_invitation(*, token, user):
    """The invited person joins as a member; each invitation is used once."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )
    check_invitation(invitation, user)
    Membership.objects.get_or_create(organisation=invitation.organisation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.organisation
