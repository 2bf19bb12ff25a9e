"""Co-funding in the Wagtail admin: programmes (saved through the service), applications
(decided through the service) and the matches (read-only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from campaigns.admin_views import LedgerViewSet
from campaigns.funding_forms import DecisionForm
from campaigns.models import FundingProgramme, Match, ProgrammeApplication
from campaigns.permissions import can_see_fund
from campaigns.services import ServiceError
from campaigns.services.programmes import decide_application, save_programme
from core.admin_columns import EuroColumn
from core.exports import SafeSpreadsheetExportMixin

PROGRAMME_FIELDS = [
    "organisation",
    "name",
    "slug",
    "description",
    "currency",
    "budget_cents",
    "match_numerator",
    "match_denominator",
    "cap_per_initiative_cents",
    "places",
    "categories",
    "min_goal_cents",
    "max_goal_cents",
    "min_donors",
    "opens_on",
    "closes_on",
    "join_mode",
    "counts_toward_goal",
    "priority",
    "is_active",
]


class ProgrammeSaveMixin:
    """Save through ``save_programme`` (permission, budget check, audit), then the M2M."""

    def save_instance(self):
        programme = self.form.save(commit=False)
        try:
            save_programme(programme=programme, user=self.request.user)
        except ServiceError as error:
            raise PermissionDenied(str(error)) from error
        self.form.save_m2m()
        return programme


class ProgrammeCreateView(ProgrammeSaveMixin, CreateView):
    pass


class ProgrammeEditView(ProgrammeSaveMixin, EditView):
    pass


class FundingProgrammeViewSet(ModelViewSet):
    model = FundingProgramme
    icon = "pick"
    menu_label = gettext_lazy("Programmes")
    name = "funding_programmes"
    add_to_admin_menu = False
    add_view_class = ProgrammeCreateView
    edit_view_class = ProgrammeEditView
    form_fields = PROGRAMME_FIELDS
    list_display = [
        "name",
        "organisation",
        EuroColumn("budget_cents", label=gettext_lazy("Total budget"), sort_key="budget_cents"),
        EuroColumn("reserved_cents", label=gettext_lazy("Reserved")),
        EuroColumn("committed_cents", label=gettext_lazy("Committed")),
        EuroColumn("paid_out_cents", label=gettext_lazy("Paid out")),
        "priority",
        "join_mode",
    ]
    list_filter = ["organisation", "join_mode", "is_active"]
    search_fields = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True


class ApplicationIndexView(SafeSpreadsheetExportMixin, IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status == ProgrammeApplication.Status.APPLIED:
            buttons.insert(
                0,
                ListingButton(
                    _("Decide"),
                    url=reverse("programme_application_decide", args=[instance.pk]),
                    icon_name="tick",
                    priority=5,
                ),
            )
        return buttons


class ApplicationViewSet(LedgerViewSet):
    model = ProgrammeApplication
    icon = "form"
    menu_label = gettext_lazy("Applications")
    name = "programme_applications"
    index_view_class = ApplicationIndexView
    list_display = [
        "campaign",
        "programme",
        "status",
        EuroColumn("matched_cents", label=gettext_lazy("Matched"), currency="programme.currency"),
        "created_at",
    ]
    list_filter = ["programme", "status"]
    ordering = ["-created_at"]


class MatchViewSet(LedgerViewSet):
    model = Match
    icon = "table"
    menu_label = gettext_lazy("Matches")
    name = "matches"
    list_display = [
        "id",
        "programme",
        "campaign",
        "pledge",
        EuroColumn("amount_cents", label=gettext_lazy("Amount")),
        "status",
    ]
    list_filter = ["programme", "status"]
    list_export = [
        "id",
        "programme",
        "campaign",
        "pledge",
        "amount_cents",
        "currency",
        "status",
        "created_at",
        "updated_at",
    ]
    export_filename = "matches"
    ordering = ["-created_at"]


class FundingViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Co-funding")
    menu_icon = "pick"
    items = (FundingProgrammeViewSet, ApplicationViewSet, MatchViewSet)


class DecideApplicationView(WagtailAdminTemplateMixin, FormView):
    """Staff approve or decline an application with a note, through the same service."""

    template_name = "campaigns/admin/decide_application.html"
    form_class = DecisionForm
    header_icon = "tick"

    def dispatch(self, request, pk):
        self.application = get_object_or_404(
            ProgrammeApplication.objects.select_related(
                "programme__organisation", "campaign__page"
            ),
            pk=pk,
        )
        if not can_see_fund(request.user, self.application.programme.organisation):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Decide the application of “%(title)s”") % {
            "title": self.application.campaign.page.title
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            decide_application(
                application=self.application,
                user=self.request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The decision is saved."))
        return redirect("programme_applications:index")


funding_admin_urlpatterns = [
    path(
        "applications/<int:pk>/decide/",
        DecideApplicationView.as_view(),
        name="programme_application_decide",
    ),
]
