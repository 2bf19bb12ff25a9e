"""Organisation profiles: businesses, associations, housing corporations, municipalities, funds.

What an organisation gave and offers is shown by the ``organisation_offers`` tag of ``tasks``
(a higher layer), which the profile template loads.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from accounts import services
from accounts.forms import InviteForm, OrganisationForm
from accounts.models import Invitation, Organisation
from core.errors import ServiceError
from core.ratelimits import rate_limited


def _save_logo(form, organisation, user):
    logo = form.cleaned_data.get("logo_upload")
    if logo:
        organisation.logo = get_image_model().objects.create(
            title=organisation.name, file=logo, uploaded_by_user=user
        )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.visible().select_related("neighbourhood", "logo"), slug=slug
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": services.can_edit_organisation(request.user, organisation),
        },
    )


@login_required
@rate_limited("organisations")
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        _save_logo(form, organisation, request.user)
        services.create_organisation(user=request.user, organisation=organisation)
        messages.success(request, _("Your organisation profile is ready."))
        return redirect("organisations:detail", organisation.slug)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@rate_limited("edits")
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only administrators of this organisation can edit it."))
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    invite_form = InviteForm()
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        _save_logo(form, organisation, request.user)
        services.save_organisation(organisation=organisation, user=request.user)
        messages.success(request, _("The profile is saved."))
        return redirect("organisations:detail", organisation.slug)
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "invite_form": invite_form,
            "members": organisation.membership_set.select_related("user"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@rate_limited("invitations")
def organisation_invite(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only administrators of this organisation can invite others."))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                invited_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The invitation has been sent."))
        return redirect("organisations:edit", organisation.slug)
    messages.error(request, _("Enter a valid e-mail address."))
    return redirect("organisations:edit", organisation.slug)


# The HTTP status of each refusal of an invitation.
_INVITATION_REFUSALS = {
    services.InvitationNotValid: 404,
    services.InvitationUsed: 400,
    services.InvitationExpired: 410,
    services.InvitationNotForYou: 403,
}


def _invitation_refused(request, invitation, error):
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "error": str(error),
            "expired": isinstance(error, services.InvitationExpired),
        },
        status=_INVITATION_REFUSALS.get(type(error), 400),
    )


@login_required
def invitation_accept(request, token):
    """Show an invitation to the person it was sent to, who accepts it with a POST."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    try:
        if request.method == "POST":
            organisation = services.accept_invitation(token=token, user=request.user)
        else:
            services.check_invitation(invitation, request.user)
    except ServiceError as error:
        return _invitation_refused(request, invitation, error)
    if request.method == "POST":
        messages.success(request, _("Welcome to %(name)s!") % {"name": organisation.name})
        return redirect("organisations:detail", organisation.slug)
    return render(request, "accounts/invitation.html", {"invitation": invitation})
