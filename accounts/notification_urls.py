from django.urls import path

from accounts import notification_views

app_name = "notifications"

urlpatterns = [
    path("", notification_views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
]
