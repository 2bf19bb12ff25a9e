from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Category
from campaigns.queries import (
    SORT_CLOSING,
    SORT_DEFAULT,
    SORT_NEWEST,
    SORT_SUPPORTED,
    initiative_cards,
    search_filter,
)
from cms.models import CityPage, NeighbourhoodPage
from cms.page_cache import allow_page_cache
from core.paging import PageNumberError, lookahead_page

PER_PAGE = 24

SORT_CHOICES = [
    (SORT_DEFAULT, _("Live first")),
    (SORT_CLOSING, _("Closing soon")),
    (SORT_NEWEST, _("Newest")),
    (SORT_SUPPORTED, _("Most supported")),
]


class InitiativeFilterForm(forms.Form):
    """The listing's filters. The place is chosen in two steps, a city and then one of its
    neighbourhoods, so that the form lists tens of places, never every neighbourhood of
    the country (at 400 neighbourhoods one select cost more than the rest of the page).

    A link with only ``?neighbourhood=<id>`` (from a neighbourhood page, or an older link)
    fills in its city. A neighbourhood left over from another city, after the visitor
    chose a new city without JavaScript, is dropped: the city wins.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=CityPage.objects.none(),
        required=False,
        empty_label=_("All cities"),
    )
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

    def __init__(self, data=None, **kwargs):
        if data is not None and data.get("neighbourhood") and not data.get("city"):
            data = self._with_city_of_neighbourhood(data)
        super().__init__(data, **kwargs)
        self.fields["city"].queryset = CityPage.objects.live().only("title").order_by("title")
        # Any live neighbourhood is valid; only the chosen city's are offered.
        neighbourhood = self.fields["neighbourhood"]
        neighbourhood.queryset = NeighbourhoodPage.objects.live().only("path", "depth", "title")
        city = self._page(CityPage, self.data.get("city")) if self.is_bound else None
        offered = []
        if city is not None:
            offered = NeighbourhoodPage.objects.live().child_of(city).order_by("title")
            offered = offered.values_list("pk", "title")
        else:
            neighbourhood.help_text = _("Choose a city first.")
        neighbourhood.widget.choices = [("", neighbourhood.empty_label), *offered]

    @staticmethod
    def _page(model, value):
        try:
            page_id = int(value)
        except (TypeError, ValueError):
            return None
        return model.objects.live().only("path", "depth").filter(pk=page_id).first()

    @classmethod
    def _with_city_of_neighbourhood(cls, data):
        neighbourhood = cls._page(NeighbourhoodPage, data.get("neighbourhood"))
        if neighbourhood is None:
            return data
        city = CityPage.objects.live().ancestor_of(neighbourhood).only("pk").first()
        if city is None:
            return data
        data = data.copy()
        data["city"] = str(city.pk)
        return data

    def clean_q(self):
        """A search needs one word of three letters or more (words are matched inside words)."""
        query = self.cleaned_data["q"].strip()
        if query and search_filter(query) is None:
            raise forms.ValidationError(_("Search with a word of at least three letters."))
        return query

    def clean_sort(self):
        """An unknown order (an old or hand-made link) falls back to the default, silently."""
        sort = self.cleaned_data["sort"]
        return sort if sort in dict(SORT_CHOICES) else SORT_DEFAULT

    def clean(self):
        cleaned = super().clean()
        city, neighbourhood = cleaned.get("city"), cleaned.get("neighbourhood")
        if city and neighbourhood and not neighbourhood.is_descendant_of(city):
            cleaned["neighbourhood"] = None
        return cleaned


def initiative_list(request):
    """The listing: filters from the query string, a page of cards without counting them all.

    An invalid filter is left out and answered 400 with the form's message; a page number
    that is not one, or past the end, answers 400 or 404 with an empty list and a message.
    """
    form = InitiativeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    initiatives = initiative_cards(
        status=filters.get("status") or None,
        place=filters.get("neighbourhood") or filters.get("city"),
        category=filters.get("category") or None,
        search=search_filter(query) if query else None,
        sort=getattr(form, "cleaned_data", {}).get("sort"),
    )
    status_code = 200 if form.is_bound is False or form.is_valid() else 400
    page_error = None
    try:
        page_obj = lookahead_page(initiatives, request.GET.get("page"), PER_PAGE)
    except PageNumberError as error:
        page_obj, page_error, status_code = None, error.args[0], error.status
    response = render(
        request,
        "campaigns/initiative_list.html",
        {"form": form, "page_obj": page_obj, "page_error": page_error, "query": query},
        status=status_code,
    )
    if not request.user.is_authenticated:
        allow_page_cache(response)  # stored only without a query string (cms.page_cache)
    return response
