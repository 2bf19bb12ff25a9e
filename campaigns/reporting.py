"""Updates and impact reports are published at once; the public may report them (``core.reports``).

This app also records every moderation decision in its audit log, for the items of
every app, through :func:`record_report_decision`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import ImpactReport, InitiativeUpdate
from campaigns.services.locks import lock_campaign
from core import reports

DECISION_ACTIONS = {reports.HIDE: Action.CONTENT_HIDDEN, reports.DISMISS: Action.REPORTS_DISMISSED}


class UpdateReportable(reports.Reportable):
    key = "update"
    model = InitiativeUpdate
    label = _("update")

    def visible(self):
        return InitiativeUpdate.objects.filter(
            hidden_at__isnull=True, campaign__page__live=True
        ).select_related("campaign__page")

    def hide(self, item, *, actor):
        InitiativeUpdate.objects.filter(pk=item.pk).update(hidden_at=timezone.now())
        forget_initiative_page_on_commit(item.campaign.page_id)

    def public_url(self, item):
        return f"{item.campaign.page.url}#updates"

    def summary(self, item):
        return f"{item.title}\n\n{item.body}"


class ImpactReportable(reports.Reportable):
    """An impact report; hiding it takes its story, photos and participants off the page
    and out of the meter."""

    key = "impact"
    model = ImpactReport
    label = _("impact report")

    def visible(self):
        return ImpactReport.objects.filter(
            hidden_at__isnull=True, campaign__page__live=True
        ).select_related("campaign__page")

    def hide(self, item, *, actor):
        # The campaign before its report, as ``campaigns.services.impact`` locks them.
        lock_campaign(item.campaign_id)
        ImpactReport.objects.filter(pk=item.pk).update(hidden_at=timezone.now())
        forget_initiative_page_on_commit(item.campaign.page_id)

    def public_url(self, item):
        return f"{item.campaign.page.url}#impact"

    def summary(self, item):
        alt_texts = "\n".join(photo.alt_text for photo in item.photos.all())
        return f"{item.participants}\n\n{item.story}\n\n{alt_texts}".strip()


def record_report_decision(item, decision, *, actor, report_ids):
    audit.record(item, DECISION_ACTIONS[decision], actor=actor, report_ids=report_ids)
