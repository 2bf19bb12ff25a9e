"""The public "report abuse" page, for anonymous and signed-in visitors alike.

Public pages only link here: a form with a CSRF token on a page would set a cookie and
keep the page out of the anonymous page cache. This page is never cached.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import moderation
from core.ratelimits import seconds_to_wait
from core.report_forms import ReportForm


def _refused(request, error, status):
    return render(request, "core/report_refused.html", {"message": str(error)}, status=status)


@never_cache
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
        # Counted here rather than by @rate_limited: the form comes back with what was typed.
        if seconds_to_wait(request, "reports") is not None:
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
