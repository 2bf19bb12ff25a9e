from django.urls import path

from accounts import privacy_views

app_name = "privacy"

urlpatterns = [
    path("data/", privacy_views.my_data, name="my_data"),
    path(
        "data/<str:token>/download.<str:fmt>",
        privacy_views.export_download,
        name="export_download",
    ),
    path("delete/", privacy_views.delete_account, name="delete_account"),
]
