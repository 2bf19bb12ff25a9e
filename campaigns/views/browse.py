from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Category, InitiativePage
from campaigns.queries import initiative_cards
from cms.models import NeighbourhoodPage
from cms.page_cache import allow_page_cache


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=NeighbourhoodPage.objects.none(),
        required=False,
        empty_label=_("All neighbourhoods"),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + Category.choices
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status"))]
        + [(s.value, s.label) for s in Campaign.Status if s in Campaign.PUBLIC_STATUSES],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")


def initiative_list(request):
    form = InitiativeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ids = None
    query = filters.get("q", "").strip()
    if query:
        ids = [page.pk for page in InitiativePage.objects.live().search(query)]
    initiatives = initiative_cards(
        status=filters.get("status") or None,
        neighbourhood=filters.get("neighbourhood"),
        category=filters.get("category") or None,
        ids=ids,
    )
    page_obj = Paginator(initiatives, 24).get_page(request.GET.get("page"))
    status_code = 200 if form.is_bound is False or form.is_valid() else 400
    response = render(
        request,
        "campaigns/initiative_list.html",
        {"form": form, "page_obj": page_obj, "query": query},
        status=status_code,
    )
    if not request.user.is_authenticated:
        allow_page_cache(response)  # stored only without a query string (cms.page_cache)
    return response
