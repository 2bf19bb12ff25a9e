"""The time and in-kind side's part of a person's data: export and erasure.

Registered with ``accounts.personal_data`` in :meth:`TasksConfig.ready`. It erases first
(``order`` 10): sign-ups and offers are withdrawn through their transitions while the
person's pledges still carry their account, so un-counting a helper who also donated
leaves them counted once. Messages about register items go with their sender (and a
conversation with the resident who started it) by the database's cascade.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.models import DigestItem
from core.models import Announcement
from tasks.events import TaskCancelled
from tasks.models import Offer, RegisterMessage, SignUp
from tasks.services import release_user_support


class TasksPart:
    key = "tasks"
    label = _("Help and offers")
    order = 10

    def export(self, user):
        signups = SignUp.objects.filter(user=user).select_related("task__initiative")
        offers = Offer.objects.filter(user=user).select_related(
            "task__initiative", "organisation", "neighbourhood"
        )
        return {
            "sign_ups": [
                {
                    "initiative": signup.task.initiative.title,
                    "task": signup.task.title,
                    "status": signup.status,
                    "note": signup.note,
                    "hours_confirmed": str(signup.hours_confirmed or ""),
                    "signed_up": signup.created_at.isoformat(),
                }
                for signup in signups
            ],
            "offers": [
                {
                    "for": offer.task.title if offer.task_id else offer.neighbourhood.title,
                    "organisation": offer.organisation.name if offer.organisation_id else "",
                    "kind": offer.kind,
                    "description": offer.description,
                    "availability": offer.availability,
                    "status": offer.status,
                }
                for offer in offers
            ],
            "register_messages": [
                {
                    "about": message.item.description,
                    "to": "owner" if message.to_owner else "resident",
                    "message": message.body,
                    "sent": message.created_at.isoformat(),
                }
                for message in RegisterMessage.objects.filter(sender=user).select_related("item")
            ],
        }

    def blockers(self, user):
        return []

    @transaction.atomic
    def erase(self, user):
        """Withdraw what the user gives, then forget the digests and mail that name them."""
        release_user_support(user)
        signup_ids = list(SignUp.objects.filter(user=user).values_list("pk", flat=True))
        offer_ids = list(Offer.objects.filter(user=user).values_list("pk", flat=True))
        DigestItem.objects.filter(
            kind__in=[DigestItem.Kind.SIGNUP, DigestItem.Kind.WITHDRAWAL], object_id__in=signup_ids
        ).delete()
        DigestItem.objects.filter(kind=DigestItem.Kind.OFFER, object_id__in=offer_ids).delete()
        forget_cancelled_task_recipient(user.email)


def forget_cancelled_task_recipient(email):
    """A ``task.cancelled`` announcement carries its recipients' addresses (the task is
    gone when it is delivered): take this address out of every one of them."""
    email = email.lower()
    for row in Announcement.objects.select_for_update().filter(
        name=TaskCancelled.name, payload__icontains=email
    ):
        recipients = [entry for entry in row.payload["recipients"] if entry[0].lower() != email]
        row.payload = {**row.payload, "recipients": recipients}
        row.save(update_fields=["payload"])
