from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model

from campaigns.models import Campaign
from campaigns.permissions import require_visible_initiative
from campaigns.services import updates as update_services
from campaigns.views.manage import _editable_campaign
from core import limits
from core.forms import ImageUploadField, LimitedTextField, SingleLineCharField
from core.ratelimits import rate_limited


class UpdateForm(forms.Form):
    title = SingleLineCharField(label=gettext_lazy("Title"), max_length=limits.UPDATE_TITLE)
    body = LimitedTextField(label=gettext_lazy("Text"), max_length=limits.UPDATE_BODY, rows=8)
    image = ImageUploadField(label=gettext_lazy("Image (optional)"), required=False)


@login_required
@rate_limited("updates")
def post_update(request, page_id):
    campaign = _editable_campaign(request, page_id)
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not campaign.accepts_updates:
            form.add_error(None, _("Updates can be posted once the initiative is live."))
        elif form.is_valid():
            data = form.cleaned_data
            image = None
            if data["image"]:
                image = get_image_model().objects.create(
                    title=data["title"], file=data["image"], uploaded_by_user=request.user
                )
            update_services.post_update(
                campaign=campaign,
                author=request.user,
                title=data["title"],
                body=data["body"],
                image=image,
            )
            messages.success(request, _("Your update is posted and on its way to supporters."))
            return redirect(campaign.page.url)
    return render(
        request,
        "campaigns/update_form.html",
        {"form": form, "campaign": campaign, "page": campaign.page},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@rate_limited("follows")
def follow(request, page_id):
    campaign = get_object_or_404(
        Campaign.objects.select_related("page"), page_id=page_id, page__live=True
    )
    require_visible_initiative(request, campaign)
    following = request.POST.get("follow") != "0"
    update_services.set_following(campaign=campaign, user=request.user, follow=following)
    messages.success(
        request,
        _("You follow this initiative.") if following else _("You no longer follow it."),
    )
    return redirect(campaign.page.url)
