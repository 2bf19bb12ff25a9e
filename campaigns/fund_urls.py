from django.urls import path

from campaigns.views import funds

app_name = "funds"

urlpatterns = [
    path("apply/<int:page_id>/", funds.apply, name="apply"),
    path("applications/<int:pk>/decide/", funds.decide, name="decide"),
    path("fund/<slug:org_slug>/", funds.fund_dashboard, name="dashboard"),
    path("fund/<slug:org_slug>/new/", funds.programme_edit, name="create"),
    path("fund/<slug:org_slug>/<int:pk>/edit/", funds.programme_edit, name="edit"),
    path("fund/<slug:org_slug>/<int:pk>/export.csv", funds.export_csv, name="export"),
    path("<slug:slug>/", funds.programme_detail, name="programme"),
]
