"""Organisations and their members."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.events import OrganisationInvited
from accounts.models import Invitation, Membership, Organisation
from accounts.permissions import is_moderator
from core.errors import ServiceError
from core.events import announce


def can_edit_organisation(user, organisation):
    if not user.is_authenticated:
        return False
    return (
        is_moderator(user)
        or Membership.objects.filter(organisation=organisation, user=user).exists()
    )


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
def invite_member(*, organisation, email, invited_by):
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


@transaction.atomic
def accept_invitation(*, token, user):
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ServiceError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None and invitation.accepted_by_id != user.pk:
        raise ServiceError(_("This invitation was already used."))
    Membership.objects.get_or_create(organisation=invitation.organisation, user=user)
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.organisation
