from django.urls import path

from accounts import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.organisation_create, name="create"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/invite/", views.organisation_invite, name="invite"),
]
