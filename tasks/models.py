from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    HANDS = "hands", _("Hands (time)")
    SKILL = "skill", _("Skill")
    SPACE = "space", _("Space")
    MATERIAL = "material", _("Material")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULL = "full", _("Full")
    DONE = "done", _("Done")


class Task(models.Model):
    """Something an initiative needs besides money: hands, a skill, a space or material."""

    Kind = TaskKind
    Status = TaskStatus
    PEOPLE_KINDS = [TaskKind.HANDS, TaskKind.SKILL]

    initiative = models.ForeignKey(
        "campaigns.InitiativePage", on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    people_needed = models.PositiveSmallIntegerField(
        _("people needed or quantity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="task_window_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The time window must end after it starts.")})

    @property
    def is_flexible(self):
        return self.starts_at is None


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DONE = "done", _("Done")


class SignUp(models.Model):
    Status = SignUpStatus
    ACTIVE_STATUSES = [SignUpStatus.SIGNED_UP, SignUpStatus.DONE]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SignUpStatus.choices, default=SignUpStatus.SIGNED_UP
    )
    hours_confirmed = models.DecimalField(
        _("hours confirmed"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="unique_signup")]

    def __str__(self):
        return f"{self.user} → {self.task}"
