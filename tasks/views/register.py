"""The neighbourhood's register: an item's page, writing to its owner, and the owner's items.

The register's listing is a sub-page of the neighbourhood page (``cms``); these are plain
views because they are personal (a form, a conversation) and never cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.services import ServiceError
from core.ratelimits import rate_limited
from tasks import services
from tasks.forms import RegisterMessageForm
from tasks.models import Offer, RegisterMessage
from tasks.reporting import listed_standing_offers


def _gone(request, item):
    """A withdrawn or hidden item: 410, with a way back to the register."""
    return render(request, "tasks/register/gone.html", {"item": item}, status=410)


def register_item(request, offer_id):
    """An item of the register, with the form to write to its owner."""
    item = get_object_or_404(
        Offer.objects.select_related("organisation", "user", "neighbourhood"),
        pk=offer_id,
        task__isnull=True,
    )
    if not listed_standing_offers().filter(pk=item.pk).exists():
        return _gone(request, item)
    if request.method == "POST":
        return _write(request, item)
    return render(
        request,
        "tasks/register/item.html",
        {
            "item": item,
            "offer": item,
            "form": RegisterMessageForm(),
            "is_owner": services.is_offer_owner(request.user, item),
        },
    )


@login_required
@rate_limited("register_messages")
def _write(request, item):
    form = RegisterMessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.write_to_owner(
                item=item, sender=request.user, body=form.cleaned_data["body"]
            )
        except services.RegisterItemGone:
            return _gone(request, item)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your message is sent. The answer comes here and by e-mail.")
            )
            return redirect("tasks:register_conversation", message.pk)
    return render(
        request,
        "tasks/register/item.html",
        {"item": item, "offer": item, "form": form, "is_owner": False},
        status=400,
    )


def _conversation_for(request, message_id):
    message = get_object_or_404(
        RegisterMessage.objects.select_related("item__neighbourhood", "item__organisation"),
        pk=message_id,
    )
    conversation = message.conversation
    if not services.takes_part(request.user, conversation):
        raise Http404
    return conversation


@login_required
@rate_limited("register_messages")
def register_conversation(request, message_id):
    """One conversation about an item, for the resident who started it and the owner."""
    conversation = _conversation_for(request, message_id)
    item = conversation.item
    if item.hidden_at is not None:
        return _gone(request, item)
    form = RegisterMessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.reply(
                    conversation=conversation, sender=request.user, body=form.cleaned_data["body"]
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your answer is sent."))
                return redirect("tasks:register_conversation", conversation.pk)
    thread = [conversation, *conversation.replies.select_related("sender")]
    return render(
        request,
        "tasks/register/conversation.html",
        {
            "conversation": conversation,
            "thread": thread,
            "item": item,
            "is_owner": services.is_offer_owner(request.user, item),
            "form": form,
        },
        status=status,
    )


@login_required
def my_register_items(request):
    """The items the visitor keeps (own, or as an organisation's admin) and their messages."""
    items = (
        services.owned_register_items(request.user)
        .exclude(status=Offer.Status.WITHDRAWN)
        .select_related("organisation", "neighbourhood")
    )
    conversations = (
        RegisterMessage.objects.filter(thread__isnull=True)
        .filter(Q(sender=request.user) | Q(item__in=services.owned_register_items(request.user)))
        .select_related("item", "sender")
        .order_by("-created_at")
    )
    return render(
        request,
        "tasks/register/my_items.html",
        {"items": items, "conversations": conversations},
    )


@login_required
@require_POST
def change_register_item(request, offer_id):
    item = get_object_or_404(Offer, pk=offer_id, task__isnull=True)
    change = request.POST.get("change", "")
    try:
        services.change_register_item(item=item, change=change, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            {
                "pause": _("The item is paused."),
                "resume": _("The item is available again."),
                "withdraw": _("The item is withdrawn from the register."),
            }[change],
        )
    return redirect("tasks:my_register_items")
