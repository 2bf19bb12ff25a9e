from django.urls import path

from tasks import views, views_register

app_name = "tasks"

urlpatterns = [
    path("mine/", views.my_tasks, name="my_tasks"),
    path("<int:task_id>/sign-up/", views.task_sign_up, name="sign_up"),
    path("<int:task_id>/withdraw/", views.task_withdraw, name="withdraw"),
    path("<int:task_id>/done/", views.task_done, name="done"),
    path("<int:task_id>/offer/", views.make_offer, name="offer"),
    path(
        "<int:task_id>/request/<int:offer_id>/",
        views.request_standing_offer,
        name="request_standing_offer",
    ),
    path("sign-ups/<int:signup_id>/hours/", views.confirm_hours, name="confirm_hours"),
    path("offers/<int:offer_id>/decide/", views.decide_offer, name="decide_offer"),
    path("offers/<int:offer_id>/withdraw/", views.withdraw_offer, name="withdraw_offer"),
    path("offers/<int:offer_id>/answer/", views.answer_offer_request, name="answer_request"),
    path("offers/new/", views.new_standing_offer, name="new_standing_offer"),
    path("register/mine/", views_register.my_register_items, name="my_register_items"),
    path("register/<int:offer_id>/", views_register.register_item, name="register_item"),
    path(
        "register/<int:offer_id>/change/",
        views_register.change_register_item,
        name="change_register_item",
    ),
    path(
        "register/messages/<int:message_id>/",
        views_register.register_conversation,
        name="register_conversation",
    ),
    path("initiative/<int:page_id>/", views.manage_tasks, name="manage"),
    path("initiative/<int:page_id>/all/", views.initiative_tasks, name="initiative_tasks"),
    path("initiative/<int:page_id>/new/", views.task_form, name="new"),
    path("initiative/<int:page_id>/<int:task_id>/edit/", views.task_form, name="edit"),
]
