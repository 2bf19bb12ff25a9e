"""The resident's own privacy pages: "my data" (export) and deleting the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import privacy
from accounts.models import DataExport
from accounts.personal_data import deletion_blockers


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("To be sure it is you."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and my data cannot be brought back.")
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    if request.method == "POST":
        export, created = privacy.request_data_export(user=request.user)
        if created:
            messages.success(
                request,
                _("We are gathering your data. You get an e-mail with the link when it is ready."),
            )
        else:
            messages.info(request, _("You asked less than an hour ago; here is that request."))
        return redirect("privacy:my_data")
    now = timezone.now()
    exports = [export for export in request.user.data_exports.all() if not export.is_expired(now)]
    return render(request, "accounts/my_data.html", {"exports": exports})


def _own_export(request, token):
    """The export, if it is the requester's own and not expired; 404 for anyone else."""
    export = DataExport.objects.filter(token=token, user=request.user).first()
    if export is None or not export.is_ready:
        raise Http404(_("There is no such download."))
    return export


def _download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def export_download(request, token, fmt):
    if fmt not in ("json", "html"):
        raise Http404(_("There is no such download."))
    export = _own_export(request, token)
    if export.is_expired():
        return render(request, "accounts/export_expired.html", status=410)
    stamp = export.ready_at.strftime("%Y%m%d")
    if fmt == "json":
        response = JsonResponse(export.data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        return _download(response, f"wijkkapitaal-data-{stamp}.json")
    response = HttpResponse(export.html, content_type="text/html; charset=utf-8")
    return _download(response, f"wijkkapitaal-data-{stamp}.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    blockers = deletion_blockers(request.user)
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and not blockers:
        if form.is_valid():
            try:
                privacy.delete_account(user=request.user, password=form.cleaned_data["password"])
            except privacy.WrongPassword as error:
                form.add_error("password", str(error))
            except privacy.DeletionBlocked as error:
                blockers = error.blockers
            else:
                logout(request)
                messages.success(request, _("Your account and your data have been deleted."))
                return redirect("/")
        status = 400
    if blockers:
        status = 409 if request.method == "POST" else 200
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "blockers": blockers},
        status=status,
    )
