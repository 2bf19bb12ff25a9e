"""E-mail preferences and the one-click unsubscribe link (no login needed)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from notifications.base import ALL_OPTIONAL, read_unsubscribe_token
from notifications.models import NotificationPreference

CATEGORY_LABELS = {
    "updates": gettext_lazy("updates and progress of initiatives"),
    "reminders": gettext_lazy("reminders before tasks"),
    "digests": gettext_lazy("digests for initiators"),
    ALL_OPTIONAL: gettext_lazy("all optional e-mails"),
}


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["updates", "reminders", "digests"]


@login_required
def preferences(request):
    preference, _created = NotificationPreference.objects.get_or_create(
        email=request.user.email.lower()
    )
    form = PreferencesForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: mail clients POST here without a session or token
def unsubscribe(request, token):
    try:
        email, category = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    if category not in CATEGORY_LABELS:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    label = CATEGORY_LABELS[category]
    if request.method == "POST":
        preference, _created = NotificationPreference.objects.get_or_create(email=email)
        for name in NotificationPreference.CATEGORIES if category == ALL_OPTIONAL else [category]:
            setattr(preference, name, False)
        preference.save()
        return render(
            request, "accounts/unsubscribe.html", {"done": True, "email": email, "label": label}
        )
    return render(request, "accounts/unsubscribe.html", {"email": email, "label": label})
