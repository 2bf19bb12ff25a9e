"""Every e-mail the platform sends, one class each."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.notifications.base import Message, Recipient, absolute, recipient_for_user
from accounts.notifications.calendar import task_ics
from cms.money import format_money

REGISTRY = {}


def register(cls):
    REGISTRY[cls.key] = cls
    return cls


def _page_url(page):
    return absolute(page.url or "/") if page is not None else absolute("/")


def donor_recipient(pledge):
    if pledge.donor_id:
        return recipient_for_user(pledge.donor)
    return Recipient(
        email=pledge.guest_email.lower(), language=pledge.language, name=pledge.public_name
    )


def initiator_recipients(campaign):
    return [recipient_for_user(user) for user in campaign.initiators.all()]


def supporter_recipients(campaign, *, with_followers=False):
    """Donors, helpers, people with an accepted offer (and followers), each address once."""
    from campaigns.models import Pledge
    from tasks.models import Offer, SignUp

    recipients = {}

    def add(recipient):
        if recipient.email:
            recipients.setdefault(recipient.email, recipient)

    pledges = Pledge.objects.filter(
        campaign=campaign, status__in=[*Pledge.COUNTED_STATUSES, Pledge.Status.REFUNDED]
    ).select_related("donor")
    for pledge in pledges:
        add(donor_recipient(pledge))
    for signup in SignUp.objects.filter(
        task__initiative_id=campaign.page_id, status__in=SignUp.ACTIVE_STATUSES
    ).select_related("user"):
        add(recipient_for_user(signup.user))
    for offer in Offer.objects.filter(
        task__initiative_id=campaign.page_id, status=Offer.Status.ACCEPTED
    ).select_related("user"):
        add(recipient_for_user(offer.user))
    if with_followers:
        for follow in campaign.follows.select_related("user"):
            add(recipient_for_user(follow.user))
    return list(recipients.values())


class PledgeMessage(Message):
    @classmethod
    def load(cls, object_id):
        from campaigns.models import Pledge

        return Pledge.objects.select_related("campaign__page", "donor").get(pk=object_id)

    def recipients(self):
        return [donor_recipient(self.obj)]

    def context(self, recipient):
        pledge = self.obj
        page = pledge.campaign.page
        return {
            "pledge": pledge,
            "page": page,
            "amount": format_money(pledge.amount_cents, pledge.currency),
            "page_url": _page_url(page),
        }


@register
class DonationReceipt(PledgeMessage):
    key = "donation_receipt"
    template = "donation_receipt"

    def subject(self, recipient):
        return _("Thank you for your donation to %(title)s") % {
            "title": self.obj.campaign.page.title
        }


@register
class PaymentFailed(PledgeMessage):
    key = "payment_failed"
    template = "payment_failed"

    def subject(self, recipient):
        return _("Your donation to %(title)s did not go through") % {
            "title": self.obj.campaign.page.title
        }

    def context(self, recipient):
        from django.urls import reverse

        context = super().context(recipient)
        context["retry_url"] = absolute(reverse("payments:return", args=[self.obj.reference]))
        return context


@register
class RefundCompleted(PledgeMessage):
    key = "refund_completed"
    template = "refund_completed"

    def subject(self, recipient):
        return _("Your donation to %(title)s has been refunded") % {
            "title": self.obj.campaign.page.title
        }


class SignUpMessage(Message):
    @classmethod
    def load(cls, object_id):
        from tasks.models import SignUp

        return SignUp.objects.select_related("task__initiative", "user").get(pk=object_id)

    def recipients(self):
        return [recipient_for_user(self.obj.user)]

    def context(self, recipient):
        task = self.obj.task
        return {
            "signup": self.obj,
            "task": task,
            "page": task.initiative,
            "page_url": _page_url(task.initiative),
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
        return [("taak.ics", task_ics(task, _page_url(task.initiative)), "text/calendar")]


@register
class TaskReminder(SignUpMessage):
    key = "task_reminder"
    template = "task_reminder"
    category = "reminders"

    def subject(self, recipient):
        return _("Tomorrow: “%(task)s”") % {"task": self.obj.task.title}

    def attachments(self, recipient):
        task = self.obj.task
        return [("taak.ics", task_ics(task, _page_url(task.initiative)), "text/calendar")]


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
        from tasks.models import Task

        return Task.objects.select_related("initiative").get(pk=object_id)

    @property
    def object_key(self):
        return f"task:{self.obj.pk}:v{self.version}"

    def recipients(self):
        from tasks.models import SignUp

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
            "page_url": _page_url(self.obj.initiative),
        }


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


class CampaignMessage(Message):
    @classmethod
    def load(cls, object_id):
        from campaigns.models import Campaign

        return Campaign.objects.select_related("page").get(pk=object_id)

    def context(self, recipient):
        campaign = self.obj
        return {
            "campaign": campaign,
            "page": campaign.page,
            "page_url": _page_url(campaign.page),
            "raised": format_money(campaign.raised_cents, campaign.currency),
            "goal": format_money(campaign.page.goal_cents, campaign.currency),
        }


@register
class InitiatorDigest(CampaignMessage):
    """New donations, sign-ups and offers, gathered for the initiators at most once an hour."""

    key = "initiator_digest"
    template = "initiator_digest"
    category = "digests"

    def __init__(self, obj, items=(), hour=None):
        super().__init__(obj)
        self.items = list(items)
        self.hour = hour or timezone.now().strftime("%Y%m%d%H")

    @property
    def object_key(self):
        return f"campaign:{self.obj.pk}:{self.hour}"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("New for %(title)s: %(count)s") % {
            "title": self.obj.page.title,
            "count": len(self.items),
        }

    def context(self, recipient):
        return {**super().context(recipient), "items": self.items}


class Milestone(CampaignMessage):
    category = "updates"
    percent = 0

    def recipients(self):
        return initiator_recipients(self.obj) + supporter_recipients(self.obj)

    def subject(self, recipient):
        return _("%(title)s reached %(percent)s%% of its goal") % {
            "title": self.obj.page.title,
            "percent": self.percent,
        }

    def context(self, recipient):
        return {**super().context(recipient), "percent": self.percent}


@register
class HalfwayMilestone(Milestone):
    key = "milestone_50"
    template = "milestone"
    percent = 50


@register
class GoalReachedMilestone(Milestone):
    key = "milestone_100"
    template = "milestone"
    percent = 100


@register
class CampaignSucceeded(CampaignMessage):
    key = "campaign_succeeded"
    template = "campaign_succeeded"

    def recipients(self):
        return supporter_recipients(self.obj)

    def subject(self, recipient):
        return _("%(title)s is funded!") % {"title": self.obj.page.title}


@register
class CampaignFailed(CampaignMessage):
    key = "campaign_failed"
    template = "campaign_failed"

    def recipients(self):
        return supporter_recipients(self.obj)

    def subject(self, recipient):
        return _("%(title)s did not reach its goal") % {"title": self.obj.page.title}


@register
class ModerationApproved(CampaignMessage):
    key = "moderation_approved"
    template = "moderation_approved"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("Your initiative %(title)s is live") % {"title": self.obj.page.title}


@register
class ChangesRequested(CampaignMessage):
    key = "changes_requested"
    template = "changes_requested"

    def __init__(self, obj, version=None):
        super().__init__(obj)
        self.version = version

    @property
    def object_key(self):
        return f"campaign:{self.obj.pk}:v{self.version}"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("The moderators ask for changes to %(title)s") % {
            "title": self.obj.page.draft_title
        }

    def context(self, recipient):
        from django.urls import reverse

        return {
            **super().context(recipient),
            "comment": self.obj.moderator_note,
            "edit_url": absolute(reverse("campaigns:edit", args=[self.obj.page_id])),
        }


class OfferDecision(Message):
    @classmethod
    def load(cls, object_id):
        from tasks.models import Offer

        return Offer.objects.select_related("task__initiative", "user", "organisation").get(
            pk=object_id
        )

    def recipients(self):
        return [recipient_for_user(self.obj.user)]

    def context(self, recipient):
        page = self.obj.task.initiative
        return {"offer": self.obj, "task": self.obj.task, "page": page, "page_url": _page_url(page)}


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
class UpdatePosted(Message):
    key = "update_posted"
    template = "update_posted"
    category = "updates"

    @classmethod
    def load(cls, object_id):
        from campaigns.models import InitiativeUpdate

        return InitiativeUpdate.objects.select_related("campaign__page").get(pk=object_id)

    def recipients(self):
        return supporter_recipients(self.obj.campaign, with_followers=True)

    def subject(self, recipient):
        return _("News from %(title)s: %(update)s") % {
            "title": self.obj.campaign.page.title,
            "update": self.obj.title,
        }

    def context(self, recipient):
        page = self.obj.campaign.page
        return {
            "update": self.obj,
            "page": page,
            "page_url": _page_url(page),
            "paragraphs": [p for p in self.obj.body.split("\n\n") if p.strip()],
        }


@register
class OrganisationInvitation(Message):
    key = "organisation_invitation"
    template = "organisation_invitation"

    @classmethod
    def load(cls, object_id):
        from accounts.models import Invitation

        return Invitation.objects.select_related("organisation", "invited_by").get(pk=object_id)

    def recipients(self):
        return [Recipient(email=self.obj.email, language=self.obj.invited_by.preferred_language)]

    def subject(self, recipient):
        return _("Join %(name)s on Wijkkapitaal") % {"name": self.obj.organisation.name}

    def context(self, recipient):
        from django.urls import reverse

        return {
            "invitation": self.obj,
            "accept_url": absolute(reverse("organisations:invitation", args=[self.obj.token])),
        }
