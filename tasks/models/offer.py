from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from core import limits
from core.fields import CentsField
from tasks.models.base import StateMachineModel
from tasks.models.task import MAX_TASK_QUANTITY, Task


class OfferKind(models.TextChoices):
    SPACE = "space", _("Space")
    MATERIAL = "material", _("Material")
    SKILL = "skill", _("Skill")


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    REQUESTED = "requested", _("Waiting for the giver")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer", "Withdrawn")
    PAUSED = "paused", _("Paused")


MAX_OFFER_VALUE_CENTS = 100_000_00
MAX_SPACE_CAPACITY = 5_000


class Offer(StateMachineModel):
    """Space, material or a skill offered by a person or an organisation.

    Either for a task (``task`` set) or standing: what a neighbourhood has, listed on the
    neighbourhood page and suggested to initiators who need that kind of thing.

    States: offered → accepted | declined (``accept``, ``decline``, by the initiator) or
    withdrawn (``withdraw``, by the giver, only while unanswered). An initiator who asks
    for someone else's standing offer makes an offer that waits for the giver (the person,
    or an admin of the organisation): offered → requested (``await_giver``) → accepted |
    declined (``consent``, ``refuse``). ``release`` withdraws a requested, open, paused or
    accepted offer when its task or its giver is deleted.

    A standing offer is an item of the neighbourhood's register (``tasks.register``): its
    owner pauses it (offered → paused, ``pause``), makes it available again (``resume``) or
    withdraws it for good (offered | paused → withdrawn, ``withdraw``). Offered means
    available now; a paused item stays listed as paused, but nobody can ask for it.
    """

    Kind = OfferKind
    Status = OfferStatus

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    neighbourhood = models.ForeignKey(
        "cms.NeighbourhoodPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="standing_offers",
    )
    standing_offer = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The standing offer this task offer was requested from.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offers",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    description = models.CharField(_("what you offer"), max_length=300)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("quantity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TASK_QUANTITY)],
        help_text=_("How many of what the task needs this offer covers."),
    )
    estimated_value_cents = CentsField(
        _("estimated value (€)"),
        default=0,
        validators=[MaxValueValidator(MAX_OFFER_VALUE_CENTS)],
    )
    # Spaces only: how many people fit, and how accessible it is.
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SPACE_CAPACITY)],
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.CharField(
        _("more about accessibility"), max_length=limits.ACCESSIBILITY_NOTES, blank=True
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=OfferStatus.choices,
        default=OfferStatus.OFFERED,
        protected=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set when a moderator hides a standing offer after reports of abuse (core.reports).
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False) | models.Q(neighbourhood__isnull=False),
                name="offer_for_task_or_neighbourhood",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_value_cents__lte=MAX_OFFER_VALUE_CENTS),
                name="offer_value_not_absurd",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=MAX_TASK_QUANTITY),
                name="offer_quantity_in_range",
            ),
        ]

    def __str__(self):
        return self.description

    @transition(field=status, source=OfferStatus.OFFERED, target=OfferStatus.ACCEPTED)
    def accept(self):
        self.decided_at = timezone.now()

    @transition(field=status, source=OfferStatus.OFFERED, target=OfferStatus.DECLINED)
    def decline(self):
        self.decided_at = timezone.now()

    @transition(
        field=status, source=[OfferStatus.OFFERED, OfferStatus.PAUSED], target=OfferStatus.WITHDRAWN
    )
    def withdraw(self):
        """The giver takes back an offer nobody answered yet, or a (paused) register item."""

    @transition(field=status, source=OfferStatus.OFFERED, target=OfferStatus.PAUSED)
    def pause(self):
        """The owner of a register item makes it unavailable for a while."""

    @transition(field=status, source=OfferStatus.PAUSED, target=OfferStatus.OFFERED)
    def resume(self):
        """The owner of a paused register item makes it available again."""

    @transition(field=status, source=OfferStatus.OFFERED, target=OfferStatus.REQUESTED)
    def await_giver(self):
        """Copied from someone else's standing offer: it waits for its giver to agree."""

    @transition(field=status, source=OfferStatus.REQUESTED, target=OfferStatus.ACCEPTED)
    def consent(self):
        """The giver agrees to the initiator's request for their standing offer."""
        self.decided_at = timezone.now()

    @transition(field=status, source=OfferStatus.REQUESTED, target=OfferStatus.DECLINED)
    def refuse(self):
        """The giver turns the initiator's request down."""
        self.decided_at = timezone.now()

    @transition(
        field=status,
        source=[
            OfferStatus.REQUESTED,
            OfferStatus.OFFERED,
            OfferStatus.ACCEPTED,
            OfferStatus.PAUSED,
        ],
        target=OfferStatus.WITHDRAWN,
    )
    def release(self):
        """The task or the giver is being deleted: the offer no longer counts."""

    @property
    def is_requested(self):
        return self.status == OfferStatus.REQUESTED

    @property
    def is_offered(self):
        return self.status == OfferStatus.OFFERED

    @property
    def is_accepted(self):
        return self.status == OfferStatus.ACCEPTED

    @property
    def is_declined(self):
        return self.status == OfferStatus.DECLINED

    @property
    def is_withdrawn(self):
        return self.status == OfferStatus.WITHDRAWN

    @property
    def is_paused(self):
        return self.status == OfferStatus.PAUSED

    @property
    def is_standing(self):
        return self.task_id is None

    @property
    def giver_name(self):
        return self.organisation.name if self.organisation_id else self.user.public_name

    @property
    def supporter_key(self):
        if self.organisation_id:
            return f"org:{self.organisation_id}"
        return f"user:{self.user_id}"
