"""Updates are published at once; the public may report them (``core.reports``).

This app also records every moderation decision in its audit log, for the items of
every app, through :func:`record_report_decision`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import InitiativeUpdate
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


def record_report_decision(item, decision, *, actor, report_ids):
    audit.record(item, DECISION_ACTIONS[decision], actor=actor, report_ids=report_ids)
