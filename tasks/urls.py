from django.urls import path

from tasks.views import listing, manage, mine, offers, register, signups

app_name = "tasks"

urlpatterns = [
    path("mine/", mine.my_tasks, name="my_tasks"),
    path("<int:task_id>/sign-up/", signups.task_sign_up, name="sign_up"),
    path("<int:task_id>/withdraw/", signups.task_withdraw, name="withdraw"),
    path("<int:task_id>/done/", manage.task_done, name="done"),
    path("<int:task_id>/offer/", offers.make_offer, name="offer"),
    path(
        "<int:task_id>/request/<int:offer_id>/",
        manage.request_standing_offer,
        name="request_standing_offer",
    ),
    path("sign-ups/<int:signup_id>/hours/", manage.confirm_hours, name="confirm_hours"),
    path("offers/<int:offer_id>/decide/", manage.decide_offer, name="decide_offer"),
    path("offers/<int:offer_id>/withdraw/", offers.withdraw_offer, name="withdraw_offer"),
    path("offers/<int:offer_id>/answer/", offers.answer_offer_request, name="answer_request"),
    path("offers/new/", offers.new_standing_offer, name="new_standing_offer"),
    path("register/mine/", register.my_register_items, name="my_register_items"),
    path("register/<int:offer_id>/", register.register_item, name="register_item"),
    path(
        "register/<int:offer_id>/change/",
        register.change_register_item,
        name="change_register_item",
    ),
    path(
        "register/messages/<int:message_id>/",
        register.register_conversation,
        name="register_conversation",
    ),
    path("initiative/<int:page_id>/", manage.manage_tasks, name="manage"),
    path("initiative/<int:page_id>/all/", listing.initiative_tasks, name="initiative_tasks"),
    path("initiative/<int:page_id>/new/", manage.task_form, name="new"),
    path("initiative/<int:page_id>/<int:task_id>/edit/", manage.task_form, name="edit"),
]
