"""A person's rights over their data (AVG/GDPR): see it all, take it along, be forgotten.

The data itself is gathered and erased by the parts each app registers
(:mod:`accounts.personal_data`); this module holds the services around them.
"""

import secrets
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.events import DataExportReady
from accounts.models import DataExport, Invitation, Membership, User
from accounts.personal_data import collect_personal_data, deletion_blockers
from core.errors import ServiceError
from core.events import announce
from core.models import Report

# Sent after the commit of a new export request, with ``export_id``.
export_requested = Signal()

EXPORT_LIFETIME = timedelta(days=7)
# A new export is built at most this often; a request in between returns the last one.
EXPORT_INTERVAL = timedelta(hours=1)


class WrongPassword(ServiceError):
    default_message = _("That is not your password.")


class DeletionBlocked(ServiceError):
    default_message = _("Settle your initiatives first: hand them over or cancel them.")

    def __init__(self, blockers):
        super().__init__()
        self.blockers = blockers


@transaction.atomic
def delete_account(*, user, password):
    """Delete ``user`` after checking their password; refuse while something blocks it.

    The user row is locked first, so two clicks delete once. The erasure itself runs on
    ``pre_delete`` (:func:`accounts.personal_data.erase_on_delete`) in this transaction:
    sign-ups and offers are withdrawn through the tasks services, pledges keep their
    amounts but lose the donor, and the cascade removes the rest.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_usable_password() or not user.check_password(password or ""):
        raise WrongPassword()
    blockers = deletion_blockers(user)
    if blockers:
        raise DeletionBlocked(blockers)
    user.delete()


class AccountPart:
    """The account itself: profile, e-mail addresses, organisations and invitations."""

    key = "account"
    label = _("Account")
    order = 90

    def export(self, user):
        addresses = user.emailaddress_set.values("email", "verified", "primary")
        return {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": user.display_name,
            "language": user.preferred_language,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": list(addresses),
            "organisations": [
                {
                    "organisation": membership.organisation.name,
                    "role": membership.role,
                    "joined": membership.joined_at.isoformat(),
                }
                for membership in Membership.objects.filter(user=user).select_related(
                    "organisation"
                )
            ],
            "invitations_received": [
                {
                    "organisation": invitation.organisation.name,
                    "sent": invitation.created_at.isoformat(),
                    "accepted": bool(invitation.accepted_at),
                }
                for invitation in Invitation.objects.filter(
                    email__iexact=user.email
                ).select_related("organisation")
            ],
            "abuse_reports": [
                {
                    "reason": report.get_reason_display(),
                    "text": report.text,
                    "email": report.email,
                    "reported": report.created_at.isoformat(),
                    "status": report.get_status_display(),
                }
                for report in _reports_by(user)
            ],
            "data_exports": [
                {"requested": requested.isoformat()}
                for requested in user.data_exports.values_list("requested_at", flat=True)
            ],
        }

    def blockers(self, user):
        return []

    def erase(self, user):
        """Invitations sent to the address, and abuse reports the person left it on, carry
        it without a foreign key (the reports themselves stay for moderation); admin
        history about the user names them in ``object_repr``."""
        Invitation.objects.filter(email__iexact=user.email).delete()
        _reports_by(user).update(email="", reporter=None)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).delete()


def _reports_by(user):
    """Abuse reports the person made while logged in or left their address on."""
    return Report.objects.filter(Q(reporter=user) | Q(email__iexact=user.email))


@transaction.atomic
def request_data_export(*, user):
    """Queue a new export of the user's data, or return the one requested within the hour."""
    now = timezone.now()
    recent = user.data_exports.filter(requested_at__gt=now - EXPORT_INTERVAL).first()
    if recent is not None:
        return recent, False
    export = DataExport.objects.create(user=user, token=secrets.token_urlsafe(32))
    # ``accounts.jobs`` queues the build on this signal (it imports this module); should the
    # broker be down, the sweep queues it later.
    transaction.on_commit(
        lambda: export_requested.send(sender=DataExport, export_id=export.pk), robust=True
    )
    return export, True


def render_export_html(data, user):
    with translation.override(user.preferred_language):
        return render_to_string(
            "documents/data_export.html", {"data": data, "sections": _sections(data)}
        )


def _sections(data):
    """Shape the export for the HTML page: per part, its fields and its tables."""
    sections = []
    for part in data["parts"]:
        fields, tables = [], []
        for name, value in part["data"].items():
            if isinstance(value, list):
                columns = sorted({key for row in value for key in row}) if value else []
                rows = [[row.get(column) for column in columns] for row in value]
                tables.append({"name": name, "columns": columns, "rows": rows})
            else:
                fields.append((name, value))
        sections.append({"label": part["label"], "fields": fields, "tables": tables})
    return sections


@transaction.atomic
def build_data_export(export_id):
    """Gather the data and store it with its HTML page; idempotent (a ready one stays)."""
    export = (
        DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
    )
    if export is None or export.is_ready:
        return False
    data = collect_personal_data(export.user)
    export.data = data
    export.html = render_export_html(data, export.user)
    export.ready_at = timezone.now()
    export.expires_at = export.ready_at + EXPORT_LIFETIME
    export.save(update_fields=["data", "html", "ready_at", "expires_at"])
    announce(DataExportReady(export_id=export.pk))
    return True


def pending_exports(older_than=timedelta(minutes=10)):
    """Exports whose job never ran (a broker outage): the sweep queues them again."""
    return list(
        DataExport.objects.filter(
            ready_at__isnull=True, requested_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )


def delete_expired_exports(now=None):
    return DataExport.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
