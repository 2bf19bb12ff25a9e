import datetime
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A resident, initiator, organisation member or moderator; the e-mail is the login."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How your name is shown on initiatives."),
    )
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.email.split("@")[0]


class OrganisationQuerySet(models.QuerySet):
    def visible(self):
        """Organisations the public may see: not hidden by a moderator."""
        return self.filter(hidden_at__isnull=True)

    def listing(self):
        """The public list of organisations: visible ones, by name, with what a card shows."""
        return self.visible().select_related("neighbourhood", "logo").order_by("name", "pk")


kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has exactly 8 digits."))


def normalise_kvk_number(value):
    """A KvK number as stored: the digits only, so "1234 5678" and "1234.56.78" are one."""
    return re.sub(r"[\s.\-]", "", value or "")


KVK_NUMBER_TAKEN = _(
    "This KvK number already belongs to an organisation on the platform. "
    "If it is yours, please contact us."
)


class Organisation(models.Model):
    """A business, association, housing corporation, municipality or fund in a neighbourhood."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        ASSOCIATION = "association", _("Association")
        HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
        MUNICIPALITY = "municipality", _("Municipality")
        PROVINCE = "province", _("Province")
        FUND = "fund", _("Fund")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[kvk_validator]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    neighbourhood = models.ForeignKey(
        "cms.NeighbourhoodPage",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=limits.ORGANISATION_DESCRIPTION,
        validators=limits.text_limit(limits.ORGANISATION_DESCRIPTION),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(
        _("KvK number checked at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by a moderator who checked the KvK number; only then is it shown."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("KvK number checked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when a moderator hides the profile after reports of abuse (core.reports).
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~models.Q(kvk_number=""),
                name="unique_kvk_number",
                violation_error_message=KVK_NUMBER_TAKEN,
            )
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        self.kvk_number = normalise_kvk_number(self.kvk_number)
        super().clean_fields(exclude=exclude)

    @property
    def is_verified(self):
        """A moderator checked the KvK number against the organisation."""
        return self.verified_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; the link carries the token.

    Only the person with the invited address (verified) may accept it, once, within
    :attr:`VALID_FOR` of its sending.
    """

    VALID_FOR = datetime.timedelta(days=7)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + self.VALID_FOR

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at


class DataExport(models.Model):
    """A copy of everything the platform holds about a user, built by a background job.

    Kept in the database, not in media storage, so it is never reachable by URL: only
    the owner downloads it, through a view that checks who asks, until ``expires_at``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    data = models.JSONField(null=True, blank=True, editable=False)
    html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"data export #{self.pk} of user #{self.user_id}"

    @property
    def is_ready(self):
        return self.ready_at is not None

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
