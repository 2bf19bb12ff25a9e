from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from tasks.models.base import StateMachineModel
from tasks.models.task import Task


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DONE = "done", _("Done")


class SignUp(StateMachineModel):
    """A neighbour helping with a task.

    States: signed_up → withdrawn (``withdraw``, by the helper) and signed_up → done
    (``complete``, when the initiator confirms the hours; confirming again corrects them).
    A withdrawn helper may sign up again (``sign_up_again``). ``release`` withdraws any
    active sign-up when its task or its helper is deleted.
    """

    Status = SignUpStatus
    ACTIVE_STATUSES = [SignUpStatus.SIGNED_UP, SignUpStatus.DONE]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = FSMField(
        _("status"),
        max_length=16,
        choices=SignUpStatus.choices,
        default=SignUpStatus.SIGNED_UP,
        protected=True,
    )
    hours_confirmed = models.DecimalField(
        _("hours confirmed"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="unique_signup")]

    def __str__(self):
        return f"{self.user} → {self.task}"

    @transition(field=status, source=SignUpStatus.SIGNED_UP, target=SignUpStatus.WITHDRAWN)
    def withdraw(self):
        """The helper withdraws before the task starts."""

    @transition(field=status, source=SignUpStatus.WITHDRAWN, target=SignUpStatus.SIGNED_UP)
    def sign_up_again(self):
        """A withdrawn helper signs up again (the unique sign-up row is reused)."""

    @transition(
        field=status,
        source=[SignUpStatus.SIGNED_UP, SignUpStatus.DONE],
        target=SignUpStatus.DONE,
    )
    def complete(self):
        """The initiator confirms the hours worked (set on ``hours_confirmed``)."""

    @transition(
        field=status,
        source=[SignUpStatus.SIGNED_UP, SignUpStatus.DONE],
        target=SignUpStatus.WITHDRAWN,
    )
    def release(self):
        """The task or the helper is being deleted: the sign-up no longer counts."""

    @property
    def is_signed_up(self):
        return self.status == SignUpStatus.SIGNED_UP

    @property
    def is_withdrawn(self):
        return self.status == SignUpStatus.WITHDRAWN

    @property
    def is_done(self):
        return self.status == SignUpStatus.DONE

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES
