"""Impact after realisation: the initiators' form for participants, a short story and photos.

Browsers never send a chosen file again, so when the form comes back with errors the
photos chosen in it are not kept: each slot that held one says so and asks for it again,
while the descriptions typed stay.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, ImpactReport
from campaigns.models.impact import MAX_PARTICIPANTS, MAX_PHOTOS
from campaigns.permissions import is_initiator
from campaigns.services import ServiceError
from campaigns.services import impact as impact_services
from core import limits
from core.forms import ImageUploadField, LimitedTextField, SingleLineCharField
from core.ratelimits import rate_limited


class ImpactReportForm(forms.Form):
    participants = forms.IntegerField(
        label=gettext_lazy("Number of participants"),
        help_text=gettext_lazy("Everyone who took part: helpers, visitors, neighbours."),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
    )
    story = LimitedTextField(
        label=gettext_lazy("What happened"), max_length=limits.IMPACT_STORY, rows=6
    )

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        message = impact_services.participants_message()
        self.fields["participants"].error_messages.update(
            dict.fromkeys(("required", "invalid", "min_value", "max_value"), message)
        )
        self.photos = list(photos)
        for photo in self.photos:
            self.fields[f"alt_{photo.pk}"] = self._alt_field(required=True)
            self.fields[f"remove_{photo.pk}"] = forms.BooleanField(
                label=gettext_lazy("Remove this photo"), required=False
            )
        for slot in range(MAX_PHOTOS):
            self.fields[f"photo_{slot}"] = ImageUploadField(
                label=gettext_lazy("Photo"), required=False
            )
            self.fields[f"photo_{slot}_alt"] = self._alt_field(required=False)

    @staticmethod
    def _alt_field(*, required):
        return SingleLineCharField(
            label=gettext_lazy("Description for people who cannot see the photo"),
            max_length=limits.IMAGE_ALT_TEXT,
            required=required,
            error_messages={
                "required": gettext_lazy("Describe this photo for people who cannot see it.")
            },
        )

    def existing_rows(self):
        return [
            (photo, self[f"alt_{photo.pk}"], self[f"remove_{photo.pk}"]) for photo in self.photos
        ]

    def free_slots(self):
        return max(0, MAX_PHOTOS - len(self.photos))

    def new_rows(self):
        return [(self[f"photo_{n}"], self[f"photo_{n}_alt"]) for n in range(self.free_slots())]

    def _chosen_slots(self):
        return [n for n in range(MAX_PHOTOS) if self.files.get(f"photo_{n}")]

    def clean(self):
        data = super().clean()
        for slot in range(MAX_PHOTOS):
            upload, alt = data.get(f"photo_{slot}"), data.get(f"photo_{slot}_alt")
            if upload and not alt:
                self.add_error(
                    f"photo_{slot}_alt", _("Describe this photo for people who cannot see it.")
                )
            elif alt and not upload and f"photo_{slot}" not in self.errors:
                self.add_error(
                    f"photo_{slot}",
                    _("Choose the photo for this description, or clear the description."),
                )
        kept = sum(1 for photo in self.photos if not data.get(f"remove_{photo.pk}"))
        if kept + len(self._chosen_slots()) > MAX_PHOTOS:
            self.add_error(None, impact_services.too_many_photos_message())
        return data

    def ask_again_for_photos(self):
        """After errors: the chosen photos were not saved, so ask for each one again."""
        for slot in self._chosen_slots():
            if f"photo_{slot}" not in self.errors:
                self.add_error(
                    f"photo_{slot}",
                    _("The form had errors, so this photo was not saved. Choose it again."),
                )

    def new_photos(self):
        data = self.cleaned_data
        return [
            impact_services.NewPhoto(file=data[f"photo_{n}"], alt_text=data[f"photo_{n}_alt"])
            for n in range(MAX_PHOTOS)
            if data.get(f"photo_{n}")
        ]

    def alt_texts(self):
        return {photo.pk: self.cleaned_data[f"alt_{photo.pk}"] for photo in self.photos}

    def removed_ids(self):
        return [photo.pk for photo in self.photos if self.cleaned_data.get(f"remove_{photo.pk}")]


def _initial(report, photos):
    if report is None:
        return {}
    initial = {"participants": report.participants, "story": report.story}
    initial.update({f"alt_{photo.pk}": photo.alt_text for photo in photos})
    return initial


@login_required
@rate_limited("edits")
def impact_report(request, page_id):
    """Only the initiators; others get 403 (404 while the page is not live)."""
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    if not is_initiator(request.user, campaign):
        if campaign.page.live:
            raise PermissionDenied(_("Only the initiators can tell what happened."))
        raise Http404
    report = ImpactReport.objects.filter(campaign=campaign).first()
    photos = list(report.photos.select_related("image")) if report else []
    context = {"campaign": campaign, "page": campaign.page, "report": report, "form": None}
    posted = request.method == "POST"
    try:
        impact_services.check_may_report(campaign, request.user)
        if report is not None and report.hidden_at is not None:
            raise ServiceError(
                _("A moderator took this impact report down; it cannot be changed now.")
            )
    except ServiceError as error:
        context["refusal"] = str(error)
        return render(request, "campaigns/impact_form.html", context, status=400 if posted else 200)

    form = ImpactReportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        photos=photos,
        initial=_initial(report, photos),
    )
    context["form"] = form
    if not posted:
        return render(request, "campaigns/impact_form.html", context)
    if form.is_valid():
        try:
            impact_services.save_impact_report(
                campaign=campaign,
                user=request.user,
                participants=form.cleaned_data["participants"],
                story=form.cleaned_data["story"],
                new_photos=form.new_photos(),
                alt_texts=form.alt_texts(),
                remove_photo_ids=form.removed_ids(),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. What happened is on the initiative page."))
            return redirect(f"{campaign.page.url}#impact")
    form.ask_again_for_photos()
    return render(request, "campaigns/impact_form.html", context, status=400)
