from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Category
from campaigns.queries import (
    SORT_CLOSING,
    SORT_DEFAULT,
    SORT_NEWEST,
    SORT_SUPPORTED,
    initiative_cards,
    matching_initiative_ids,
)
from cms.models import NeighbourhoodPage
from cms.page_cache import allow_page_cache

SORT_CHOICES = [
    (SORT_DEFAULT, _("Live first")),
    (SORT_CLOSING, _("Closing soon")),
    (SORT_NEWEST, _("Newest")),
    (SORT_SUPPORTED, _("Most supported")),
]


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

    sort = forms.CharField(
        label=_("Sort by"), required=False, widget=forms.Select(choices=SORT_CHOICES)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")

    def clean_sort(self):
        """An unknown order (an old or hand-made link) falls back to the default, silently."""
        sort = self.cleaned_data["sort"]
        return sort if sort in dict(SORT_CHOICES) else SORT_DEFAULT


def initiative_list(request):
    form = InitiativeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ids = None
    query = filters.get("q", "").strip()
    if query:
        ids = matching_initiative_ids(query)
    initiatives = initiative_cards(
        status=filters.get("status") or None,
        neighbourhood=filters.get("neighbourhood"),
        category=filters.get("category") or None,
        ids=ids,
        sort=getattr(form, "cleaned_data", {}).get("sort"),
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
