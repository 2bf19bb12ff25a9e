"""Updates and impact reports are published at once; the public may report them (``core.reports``).

This app also records every moderation decision in its audit log, for the items of
every app, through :func:`record_report_decision`.
"""

from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import ImpactReport, InitiativeUpdate
from campaigns.services.locks import lock_campaign
from core import reports

DECISION_ACTIONS = {
    reports.HIDE: Action.CONTENT_HIDDEN,
    reports.DISMISS: Action.REPORTS_DISMISSED,
    reports.RESTORE: Action.CONTENT_RESTORED,
}


class InitiativeContentReportable(reports.Reportable):
    """Something initiators publish on their initiative page at once: a ``model`` with a
    ``campaign`` and a ``hidden_at``, shown under ``#anchor`` on the page.

    Hiding or restoring it locks the campaign and then the item, as the services that
    write such items do (``campaigns.services.locks``), and makes the page's fragments
    and cached copies stale.
    """

    anchor = ""

    def visible(self):
        return self.model._default_manager.filter(
            hidden_at__isnull=True, campaign__page__live=True
        ).select_related("campaign__page")

    def lock(self, item):
        campaign = lock_campaign(item.campaign_id)
        locked = super().lock(item)
        locked.campaign = campaign
        return locked

    def forget(self, item):
        forget_initiative_page_on_commit(item.campaign.page_id)

    def public_url(self, item):
        return f"{item.campaign.page.url}#{self.anchor}"


class UpdateReportable(InitiativeContentReportable):
    key = "update"
    model = InitiativeUpdate
    label = _("update")
    anchor = "updates"

    def summary(self, item):
        return f"{item.title}\n\n{item.body}"


class ImpactReportable(InitiativeContentReportable):
    """An impact report; hiding it takes its story, photos and participants off the page
    and out of the meter."""

    key = "impact"
    model = ImpactReport
    label = _("impact report")
    anchor = "impact"

    def summary(self, item):
        alt_texts = "\n".join(photo.alt_text for photo in item.photos.all())
        return f"{item.participants}\n\n{item.story}\n\n{alt_texts}".strip()


def record_report_decision(item, decision, *, actor, report_ids):
    audit.record(item, DECISION_ACTIONS[decision], actor=actor, report_ids=report_ids)
