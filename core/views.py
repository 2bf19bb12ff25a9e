"""The public "report abuse" page, for anonymous and signed-in visitors alike.

Public pages only link here: a form with a CSRF token on a page would set a cookie and
keep the page out of the anonymous page cache. This page is never cached.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from core import moderation
from core.report_forms import ReportForm

# Reports per visitor address per hour; honest visitors report once or twice.
REPORT_RATE = "10/h"


def _refused(request, error, status):
    return render(request, "core/report_refused.html", {"message": str(error)}, status=status)


@never_cache
@ratelimit(key="ip", rate=REPORT_RATE, method="POST", block=False)
def report(request, key, object_id):
    try:
        kind, item = moderation.find_reportable(key, object_id)
    except moderation.AlreadyHidden as error:
        return _refused(request, error, 410)
    except moderation.NotReportable as error:
        return _refused(request, error, 404)
    form = ReportForm(request.POST or None)
    if request.user.is_authenticated:
        del form.fields["email"]
    status = 200
    if request.method == "POST":
        status = 400
        if getattr(request, "limited", False):
            status = 429
            form.add_error(
                None,
                _("You sent many reports in a short time. Please try again in an hour."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                moderation.file_report(
                    key=key,
                    object_id=item.pk,
                    reason=data["reason"],
                    text=data["text"],
                    email=data.get("email", ""),
                    reporter=request.user,
                )
            except moderation.AlreadyHidden as error:
                return _refused(request, error, 410)
            except moderation.NotReportable as error:
                return _refused(request, error, 404)
            messages.success(
                request, _("Thank you for your report. A moderator will look at it soon.")
            )
            return redirect(kind.public_url(item))
    return render(
        request,
        "core/report_form.html",
        {
            "form": form,
            "kind": kind,
            "item": item,
            "summary": kind.summary(item),
            "item_url": kind.public_url(item),
        },
        status=status,
    )
