"""Messages about tasks, sign-ups and offers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from campaigns.models import Campaign
from notifications.base import Message, absolute, register
from notifications.calendar import task_ics
from notifications.recipients import initiator_recipients, page_url, recipient_for_user
from tasks.models import Offer, SignUp, Task


class SignUpMessage(Message):
    @classmethod
    def load(cls, object_id):
        return SignUp.objects.select_related("task__initiative", "user").get(pk=object_id)

    def recipients(self):
        return [recipient_for_user(self.obj.user)]

    def context(self, recipient):
        task = self.obj.task
        return {
            "signup": self.obj,
            "task": task,
            "page": task.initiative,
            "page_url": page_url(task.initiative),
        }


@register
class SignUpConfirmation(SignUpMessage):
    key = "signup_confirmation"
    template = "signup_confirmation"

    def subject(self, recipient):
        return _("You are signed up for “%(task)s”") % {"task": self.obj.task.title}

    def attachments(self, recipient):
        task = self.obj.task
        if task.starts_at is None:
            return []
        return [("taak.ics", task_ics(task, page_url(task.initiative)), "text/calendar")]


@register
class SignUpWithdrawn(SignUpMessage):
    """Confirms a withdrawal to the helper, and takes the task out of their calendar."""

    key = "signup_withdrawn"
    template = "signup_withdrawn"

    def is_current(self):
        """Not if they signed up again before this went out."""
        return SignUp.objects.filter(pk=self.obj.pk, status=SignUp.Status.WITHDRAWN).exists()

    def subject(self, recipient):
        return _("You are no longer signed up for “%(task)s”") % {"task": self.obj.task.title}

    def attachments(self, recipient):
        task = self.obj.task
        if task.starts_at is None:
            return []
        ics = task_ics(task, page_url(task.initiative), cancelled=True)
        return [("taak.ics", ics, "text/calendar")]


@register
class TaskReminder(SignUpMessage):
    key = "task_reminder"
    template = "task_reminder"
    category = "reminders"

    def subject(self, recipient):
        return _("Tomorrow: “%(task)s”") % {"task": self.obj.task.title}

    def attachments(self, recipient):
        task = self.obj.task
        return [("taak.ics", task_ics(task, page_url(task.initiative)), "text/calendar")]


@register
class TaskChanged(Message):
    """Sent to the helpers of a task whose time, place or details changed."""

    key = "task_changed"
    template = "task_changed"

    def __init__(self, obj, version=None):
        super().__init__(obj)
        self.version = version

    @classmethod
    def load(cls, object_id):
        return Task.objects.select_related("initiative").get(pk=object_id)

    @property
    def object_key(self):
        return f"task:{self.obj.pk}:v{self.version}"

    def recipients(self):
        return [
            recipient_for_user(signup.user)
            for signup in self.obj.signups.filter(status=SignUp.Status.SIGNED_UP).select_related(
                "user"
            )
        ]

    def subject(self, recipient):
        return _("“%(task)s” has changed") % {"task": self.obj.title}

    def context(self, recipient):
        return {
            "task": self.obj,
            "page": self.obj.initiative,
            "page_url": page_url(self.obj.initiative),
        }

    def attachments(self, recipient):
        """The event at its new time, replacing the one from the sign-up in their calendar."""
        task = self.obj
        if task.starts_at is None:
            return []
        return [("taak.ics", task_ics(task, page_url(task.initiative)), "text/calendar")]


@register
class TaskCancelled(Message):
    """The task was removed; ``obj`` is a plain record since the task itself is gone."""

    key = "task_cancelled"
    template = "task_cancelled"

    def __init__(self, obj, recipients=()):
        super().__init__(obj)
        self._recipients = list(recipients)

    @property
    def object_key(self):
        return f"task:{self.obj['task_id']}"

    def recipients(self):
        return self._recipients

    def subject(self, recipient):
        return _("“%(task)s” has been cancelled") % {"task": self.obj["title"]}

    def context(self, recipient):
        return {"task_title": self.obj["title"], "page_title": self.obj["page_title"]}


class OfferDecision(Message):
    @classmethod
    def load(cls, object_id):
        return Offer.objects.select_related("task__initiative", "user", "organisation").get(
            pk=object_id
        )

    def recipients(self):
        return [recipient_for_user(self.obj.user)]

    def context(self, recipient):
        page = self.obj.task.initiative
        return {"offer": self.obj, "task": self.obj.task, "page": page, "page_url": page_url(page)}


@register
class OfferAccepted(OfferDecision):
    key = "offer_accepted"
    template = "offer_accepted"

    def subject(self, recipient):
        return _("Your offer to %(title)s was accepted") % {"title": self.obj.task.initiative.title}


@register
class OfferDeclined(OfferDecision):
    key = "offer_declined"
    template = "offer_declined"

    def subject(self, recipient):
        return _("About your offer to %(title)s") % {"title": self.obj.task.initiative.title}


@register
class StandingOfferRequested(Message):
    """An initiator asked a standing offer for a task: its giver is asked to agree.

    ``obj`` is the new offer on the task, made from the standing offer. The giver (the
    person, or the organisation's admins, who alone may answer) agrees or declines on
    their "My tasks" page; until then the offer counts for nothing.
    """

    key = "standing_offer_requested"
    template = "standing_offer_requested"

    @classmethod
    def load(cls, object_id):
        return Offer.objects.select_related(
            "task__initiative", "user", "organisation", "standing_offer"
        ).get(pk=object_id)

    def recipients(self):
        if self.obj.organisation_id:
            admins = self.obj.organisation.members.filter(
                is_active=True, membership__role=Membership.Role.ADMIN
            )
            return [recipient_for_user(admin) for admin in admins]
        return [recipient_for_user(self.obj.user)]

    def is_current(self):
        return self.obj.is_requested

    def subject(self, recipient):
        return _("%(title)s asks for your offer") % {"title": self.obj.task.initiative.title}

    def context(self, recipient):
        page = self.obj.task.initiative
        return {
            "offer": self.obj,
            "task": self.obj.task,
            "page": page,
            "page_url": page_url(page),
            "giver": self.obj.giver_name,
            "answer_url": absolute(reverse("tasks:my_tasks")),
        }


@register
class OfferRequestAnswered(Message):
    """The giver agreed to or declined the initiators' request for their standing offer."""

    key = "offer_request_answered"
    template = "offer_request_answered"

    @classmethod
    def load(cls, object_id):
        return Offer.objects.select_related("task__initiative", "user", "organisation").get(
            pk=object_id
        )

    def recipients(self):
        campaign = Campaign.objects.get(page_id=self.obj.task.initiative_id)
        return initiator_recipients(campaign)

    def subject(self, recipient):
        if self.obj.is_accepted:
            return _("%(giver)s agreed to your request") % {"giver": self.obj.giver_name}
        return _("%(giver)s declined your request") % {"giver": self.obj.giver_name}

    def context(self, recipient):
        page = self.obj.task.initiative
        return {
            "offer": self.obj,
            "task": self.obj.task,
            "page": page,
            "giver": self.obj.giver_name,
            "manage_url": absolute(reverse("tasks:manage", args=[page.pk])),
        }
