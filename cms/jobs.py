"""Celery jobs of the cms app."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from cms.models import ContactPage


def delete_old_contact_messages(now=None):
    """Delete contact messages older than ``CONTACT_MESSAGE_RETENTION_DAYS``; returns how many.

    A message holds a name, an address and free text; once answered, it has no use left.
    """
    days = settings.WIJKKAPITAAL["CONTACT_MESSAGE_RETENTION_DAYS"]
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = FormSubmission.objects.filter(
        page__in=ContactPage.objects.all(), submit_time__lt=cutoff
    ).delete()
    return deleted


@shared_task
def forget_contact_messages():
    """Daily: contact messages go after the retention period."""
    return delete_old_contact_messages()
