from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core import limits
from tasks.models.base import StateMachineModel

MAX_TASK_QUANTITY = 500
TASK_UNIT_LENGTH = 30


class TaskKind(models.TextChoices):
    HANDS = "hands", _("Hands (time)")
    SKILL = "skill", _("Skill")
    SPACE = "space", _("Space")
    MATERIAL = "material", _("Material")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULL = "full", _("Full")
    DONE = "done", _("Done")


class Task(StateMachineModel):
    """Something an initiative needs besides money: hands, a skill, a space or material.

    States: open ⇄ full (``fill``, ``reopen``, as places are taken and freed) and
    open | full → done (``complete``, by the initiator).
    """

    Kind = TaskKind
    Status = TaskStatus
    PEOPLE_KINDS = [TaskKind.HANDS, TaskKind.SKILL]
    # What an initiator edits; a service saves only these, never a status read before its lock.
    EDITABLE_FIELDS = [
        "title",
        "kind",
        "description",
        "people_needed",
        "unit",
        "place",
        "estimated_hours",
        "starts_at",
        "ends_at",
    ]

    initiative = models.ForeignKey(
        "campaigns.InitiativePage", on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=limits.TASK_DESCRIPTION,
        validators=limits.text_limit(limits.TASK_DESCRIPTION),
    )
    people_needed = models.PositiveSmallIntegerField(
        _("people needed or quantity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TASK_QUANTITY)],
    )
    unit = models.CharField(
        _("unit"),
        max_length=TASK_UNIT_LENGTH,
        blank=True,
        help_text=_(
            "What you count, in the plural, for example planks or litres of paint. "
            "Leave empty for people."
        ),
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
    status = FSMField(
        _("status"),
        max_length=8,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        protected=True,
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

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.FULL)
    def fill(self):
        """Every place is taken."""

    @transition(field=status, source=TaskStatus.FULL, target=TaskStatus.OPEN)
    def reopen(self):
        """A place came free again."""

    @transition(field=status, source=[TaskStatus.OPEN, TaskStatus.FULL], target=TaskStatus.DONE)
    def complete(self):
        """The initiator marks the task done."""

    @property
    def is_open(self):
        return self.status == TaskStatus.OPEN

    @property
    def is_full(self):
        return self.status == TaskStatus.FULL

    @property
    def is_done(self):
        return self.status == TaskStatus.DONE

    @property
    def takes_helpers(self):
        """Hands and skill tasks take sign-ups; space and material tasks take offers."""
        return self.kind in self.PEOPLE_KINDS
