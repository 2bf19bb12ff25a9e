from django.urls import path

from core import views

app_name = "reports"

urlpatterns = [
    path("<slug:key>/<int:object_id>/", views.report, name="new"),
]
