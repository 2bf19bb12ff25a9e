"""The machinery every message shares: recipients, language, rendering, sent-once delivery.

A message class names its templates (``templates/email/<template>.html`` and ``.txt``),
its subject, its context and its recipients. :func:`deliver` claims a row in the
sent-once log for every recipient *before* sending (a unique constraint on
(message, object, recipient) decides who wins), sends, marks the rows sent (one UPDATE
per ``MARK_SENT_EVERY`` mails, and for the rest when it stops), and releases the claims
of anything it could not send, so a retried job finishes the batch without duplicates.
A claim left unsent by a process that died (killed mid-send) is taken over after
``CLAIM_LEASE``, so the mail is not lost either. A mail that cannot be
built (a header with a line break, a broken template) is marked failed and never retried.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.text import single_line
from notifications.audience import audience_recipients
from notifications.models import NotificationPreference, SentMessage

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "wijkkapitaal.unsubscribe"
REGISTRY = {}
CLAIM_LEASE = timedelta(minutes=10)
# Sent mails are marked in the log this many at a time (one UPDATE), and whatever was sent
# when a batch stops. Only a process killed outright leaves up to this many sent mails
# unmarked; their claims run out after CLAIM_LEASE and they go again.
MARK_SENT_EVERY = 50
ALL_OPTIONAL = "all"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = "nl"
    name: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def recipient_for_user(user, **extra):
    return Recipient(
        email=user.email.lower(),
        language=user.preferred_language or settings.LANGUAGE_CODE,
        name=user.public_name,
        extra=extra,
    )


def preference_ids(emails):
    """The ids of these addresses' preference rows, creating the missing rows (all on)."""
    emails = sorted({email.lower() for email in emails})
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(email=email) for email in emails], ignore_conflicts=True
    )
    return dict(NotificationPreference.objects.filter(email__in=emails).values_list("email", "pk"))


def unsubscribe_token(email, category, preference_id=None):
    """A signed, opaque reference to the address's preference row and the category.

    The link carries a row id, never the address. It is signed with ``SECRET_KEY``; links
    signed with a key since rotated into ``SECRET_KEY_FALLBACKS`` keep working.
    """
    if preference_id is None:
        preference_id = preference_ids([email])[email.lower()]
    return signing.dumps([preference_id, category or ALL_OPTIONAL], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """Returns (email, category); raises signing.BadSignature for forged or altered tokens.

    Links sent before the tokens became opaque carry ``{"e": email, "c": category}``; they
    still work.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if isinstance(data, dict):
        return data["e"], data["c"]
    preference_id, category = data
    email = (
        NotificationPreference.objects.filter(pk=preference_id)
        .values_list("email", flat=True)
        .first()
    )
    if email is None:
        raise signing.BadSignature("unknown preference row")
    return email, category


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def register(cls):
    """Add a message class to ``REGISTRY`` (its ``key``), for jobs and the preview command."""
    REGISTRY[cls.key] = cls
    return cls


class Message:
    """One kind of e-mail. Subclasses set ``key``, ``template`` and ``category``."""

    key = ""
    template = ""
    category = None  # None: always sent; otherwise "updates", "reminders" or "digests"

    def __init__(self, obj):
        self.obj = obj

    @classmethod
    def load(cls, object_id):
        raise NotImplementedError

    @property
    def object_key(self):
        return f"{self.obj._meta.model_name}:{self.obj.pk}"

    def audience(self):
        """The recipients as named parts (``notifications.audience.AudiencePart``).

        Only messages to many people have one; they are sent in chunks by
        ``notifications.jobs.fan_out``.
        """
        raise NotImplementedError(f"{type(self).__name__} has no audience to fan out to")

    def recipients(self):
        """Everyone this message goes to; by default its whole audience, each address once."""
        return audience_recipients(self.audience())

    def is_current(self):
        """Whether the message still holds now, right before sending.

        Mail goes out after the change that caused it, sometimes minutes later (a retry,
        a broker outage). A message whose premise no longer holds, such as "your payment
        failed" for a pledge that got paid meanwhile, returns False and is not sent.
        """
        return True

    def subject(self, recipient):
        raise NotImplementedError

    def context(self, recipient):
        return {}

    def attachments(self, recipient):
        return []

    def build(self, recipient, connection=None, preference_id=None):
        """Render the e-mail for one recipient, in their language."""
        with translation.override(recipient.language):
            token = unsubscribe_token(recipient.email, self.category, preference_id)
            unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
            context = {
                "recipient": recipient,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": absolute(reverse("notifications:preferences")),
                "category": self.category,
                "site_url": absolute("/"),
                **self.context(recipient),
            }
            subject = single_line(self.subject(recipient))
            text = render_to_string(f"email/{self.template}.txt", context)
            html = render_to_string(f"email/{self.template}.html", context)
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[recipient.email],
            connection=connection,
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": recipient.language,
            },
        )
        email.attach_alternative(html, "text/html")
        for name, content, mimetype in self.attachments(recipient):
            email.attach(name, content, mimetype)
        return email


def _claim(message, recipients):
    """Claim sent-log rows for these recipients; returns the ones this call may send to."""
    claim, now = uuid.uuid4(), timezone.now()
    with transaction.atomic():
        SentMessage.objects.bulk_create(
            [
                SentMessage(
                    message=message.key,
                    object_key=message.object_key,
                    recipient=recipient.email,
                    claim=claim,
                    claimed_at=now,
                )
                for recipient in recipients
            ],
            ignore_conflicts=True,
        )
        SentMessage.objects.filter(
            message=message.key,
            object_key=message.object_key,
            recipient__in=[recipient.email for recipient in recipients],
            sent_at__isnull=True,
            failed_at__isnull=True,
            claimed_at__lt=now - CLAIM_LEASE,
        ).update(claim=claim, claimed_at=now)
    mine = set(SentMessage.objects.filter(claim=claim).values_list("recipient", flat=True))
    return claim, [recipient for recipient in recipients if recipient.email in mine]


def _mark_sent(claim, recipients):
    if recipients:
        SentMessage.objects.filter(
            claim=claim, recipient__in=[recipient.email for recipient in recipients]
        ).update(sent_at=timezone.now())


def _mark_failed(claim, recipient, error):
    SentMessage.objects.filter(claim=claim, recipient=recipient.email).update(
        failed_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:300]
    )


def _build(message, recipient, connection, preference_id):
    """The e-mail, fully rendered (headers included), or None when it cannot be built.

    Django checks headers only when the mail is turned into MIME; doing that here, before
    sending, tells a mail that can never be built (``BadHeaderError``, a template error)
    from a failing mail server. The first is recorded as failed in the sent-once log and
    skipped, so it never stops the rest of a batch; the second is raised and retried.
    """
    email = message.build(recipient, connection, preference_id=preference_id)
    email.message()
    return email


def _release(claim, recipients):
    SentMessage.objects.filter(
        claim=claim, recipient__in=[recipient.email for recipient in recipients]
    ).delete()


def held_elsewhere(message, recipients):
    """Whether any of these recipients has a claim that is neither sent nor failed.

    Right after :func:`deliver` those are another sender's: a live one finishes them, and
    the claims of one that was killed run out after ``CLAIM_LEASE``.
    """
    return SentMessage.objects.filter(
        message=message.key,
        object_key=message.object_key,
        recipient__in=[recipient.email for recipient in recipients],
        sent_at__isnull=True,
        failed_at__isnull=True,
    ).exists()


def deliver(message, recipients=None):
    """Send ``message`` to its recipients (or the given subset), at most once each.

    Returns the number of e-mails sent by this call. If sending fails halfway, the
    claims of the unsent recipients are released and the error is raised, so the
    caller's retry sends exactly the rest. A mail that cannot be built for a recipient
    is recorded as failed for them (``failed_at``, ``error``) and the batch goes on. A
    message that is no longer current
    (:meth:`Message.is_current`) is sent to nobody.
    """
    if not message.is_current():
        return 0
    recipients = list(recipients if recipients is not None else message.recipients())
    seen, unique = set(), []
    for recipient in recipients:
        if recipient.email and recipient.email not in seen:
            seen.add(recipient.email)
            unique.append(recipient)
    wanted = unique
    if message.category is not None:
        opted_out = set(
            NotificationPreference.objects.filter(
                email__in=[r.email for r in unique], **{message.category: False}
            ).values_list("email", flat=True)
        )
        wanted = [r for r in unique if r.email not in opted_out]
    claim, mine = _claim(message, wanted)
    if not mine:
        return 0
    ids = preference_ids(recipient.email for recipient in mine)
    connection = get_connection()
    sent, unmarked = 0, []
    try:
        connection.open()
        for index, recipient in enumerate(mine):
            try:
                email = _build(message, recipient, connection, ids.get(recipient.email.lower()))
            except Exception as error:
                logger.exception("Cannot build %s for %s", message.key, message.object_key)
                _mark_failed(claim, recipient, error)
                continue
            try:
                connection.send_messages([email])
            except Exception:
                _release(claim, mine[index:])
                raise
            sent += 1
            unmarked.append(recipient)
            if len(unmarked) == MARK_SENT_EVERY:
                _mark_sent(claim, unmarked)
                unmarked = []
    finally:
        try:
            _mark_sent(claim, unmarked)
        finally:
            connection.close()
    return sent
