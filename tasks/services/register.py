"""The neighbourhood's register: owners keep their items current, residents write to them.

An item is a standing offer (``Offer`` without a task). Its owner (the person, or an
admin of the organisation) pauses it, makes it available again or withdraws it, through
the transitions declared on ``Offer``. Messages are stored (``RegisterMessage``) and
announced; ``notifications`` mails the other side a link to the conversation, so neither
side ever sees the other's address.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.services import has_verified_email
from campaigns.audit import Action
from campaigns.state import fire
from core.events import announce
from tasks.events import RegisterMessageSent
from tasks.models import Offer, RegisterMessage
from tasks.reporting import forget_register_after_commit, listed_standing_offers
from tasks.services.common import OfferNotAllowed
from tasks.services.offers import is_offer_owner

STATE_CHANGES = {
    "pause": (Action.REGISTER_ITEM_PAUSED, _("Only an available item can be paused.")),
    "resume": (Action.REGISTER_ITEM_RESUMED, _("Only a paused item can be made available.")),
    "withdraw": (Action.REGISTER_ITEM_WITHDRAWN, _("This item is already withdrawn.")),
}


class RegisterItemGone(OfferNotAllowed):
    """The item was withdrawn or hidden by a moderator: nobody can write about it."""

    default_message = _("This item is no longer in the register.")


def owned_register_items(user):
    """The register items ``user`` keeps: their own, and their organisations' as admin."""
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )
    personal = Offer.objects.filter(organisation__isnull=True, user=user)
    of_organisations = Offer.objects.filter(organisation_id__in=admin_of)
    return (personal | of_organisations).filter(task__isnull=True)


@transaction.atomic
def change_register_item(*, item, change, user):
    """The owner pauses (``pause``), resumes (``resume``) or withdraws (``withdraw``) an item."""
    if change not in STATE_CHANGES:
        raise OfferNotAllowed()
    item = Offer.objects.select_for_update().get(pk=item.pk)
    if item.task_id is not None:
        raise OfferNotAllowed()
    if not is_offer_owner(user, item):
        raise OfferNotAllowed(_("Only the owner of this item can change it."))
    action, refusal = STATE_CHANGES[change]
    fire(item, change, action=action, actor=user, message=refusal)
    forget_register_after_commit(item.neighbourhood)
    return item


def _write(item, *, sender, body, thread=None, to_owner=True):
    if not has_verified_email(sender, sender.email):
        raise OfferNotAllowed(_("Confirm your e-mail address before you write to someone."))
    message = RegisterMessage(item=item, sender=sender, body=body, thread=thread, to_owner=to_owner)
    message.full_clean()
    message.save()
    announce(RegisterMessageSent(message_id=message.pk))
    return message


@transaction.atomic
def write_to_owner(*, item, sender, body):
    """A resident writes to the owner of a listed (available or paused) item."""
    if item.task_id is not None:
        raise OfferNotAllowed()
    if not listed_standing_offers().filter(pk=item.pk).exists():
        raise RegisterItemGone()
    if is_offer_owner(sender, item):
        raise OfferNotAllowed(_("This is your own item."))
    return _write(item, sender=sender, body=body)


def takes_part(user, conversation):
    """The resident who started the conversation, or the item's owner."""
    return conversation.sender_id == user.pk or is_offer_owner(user, conversation.item)


@transaction.atomic
def reply(*, conversation, sender, body):
    """One side answers the other; the answer goes to the side that did not write it.

    A withdrawn item's conversation can still be answered ("it is gone, sorry"); a hidden
    one's cannot.
    """
    conversation = conversation.conversation
    item = conversation.item
    if item.hidden_at is not None:
        raise RegisterItemGone()
    if not takes_part(sender, conversation):
        raise OfferNotAllowed(_("You do not take part in this conversation."))
    to_owner = not is_offer_owner(sender, item)
    return _write(item, sender=sender, body=body, thread=conversation, to_owner=to_owner)
