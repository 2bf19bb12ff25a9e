"""Who may see or manage a task: the lookups every task view starts with."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.permissions import can_manage_tasks, require_visible_initiative
from tasks.models import Task


def campaign_of(task):
    return Campaign.objects.select_related("page").get(page_id=task.initiative_id)


def visible_task(request, task_id):
    """The task, if its initiative is visible to this visitor (else 404)."""
    task = get_object_or_404(Task.objects.select_related("initiative"), pk=task_id)
    require_visible_initiative(request, campaign_of(task))
    return task


def managed_campaign(request, page_id):
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    if not can_manage_tasks(request.user, campaign):
        if campaign.page.live:
            raise PermissionDenied(_("Only the initiators and moderators can manage these tasks."))
        raise Http404
    return campaign


def managed_task(request, task_id):
    task = get_object_or_404(Task.objects.select_related("initiative"), pk=task_id)
    campaign = managed_campaign(request, task.initiative_id)
    return task, campaign
