from django.urls import path, re_path

from tasks.capital import views

PLACE = r"(?P<place>all|[-\w]+(?:/[-\w]+)?)"

urlpatterns = [
    path("", views.open_data, name="open_data"),
    re_path(
        rf"^{PLACE}/initiatives\.(?P<fmt>csv|json)$",
        views.initiatives,
        name="open_data_initiatives",
    ),
    re_path(rf"^{PLACE}/grants-360giving\.json$", views.grants_360, name="open_data_grants"),
    re_path(rf"^{PLACE}/months\.(?P<fmt>csv|json)$", views.months, name="open_data_months"),
]
