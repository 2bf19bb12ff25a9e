"""The moderators' KvK check in the Wagtail admin: organisations show as verified only after it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import Organisation
from campaigns.permissions import is_moderator
from campaigns.services import ServiceError
from campaigns.services.organisations import unverify_organisation, verify_organisation


class OrganisationCheckView(WagtailAdminTemplateMixin, TemplateView):
    """Organisations with a KvK number, unchecked first; a moderator verifies or revokes."""

    template_name = "campaigns/admin/organisations.html"
    page_title = gettext_lazy("KvK check")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        organisations = (
            Organisation.objects.exclude(kvk_number="")
            .select_related("verified_by")
            .order_by(F("verified_at").asc(nulls_first=True), "name")
        )
        return super().get_context_data(organisations=organisations, **kwargs)

    def post(self, request):
        organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
        verify = request.POST.get("action") == "verify"
        service = verify_organisation if verify else unverify_organisation
        try:
            service(organisation=organisation, moderator=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                (_("%(name)s is shown as verified.") if verify else _("%(name)s is unverified."))
                % {"name": organisation.name},
            )
        return redirect("organisation_kvk_check")


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


def kvk_check_menu_item():
    return ModeratorMenuItem(
        gettext_lazy("KvK check"), reverse("organisation_kvk_check"), icon_name="group", order=910
    )


organisation_admin_urlpatterns = [
    path("kvk/", OrganisationCheckView.as_view(), name="organisation_kvk_check"),
]
