"""The demo's register: a few things Binnenstad has, listed through the tasks services."""

from accounts.models import Organisation
from demo import content
from tasks import services
from tasks.models import Offer


def ensure_register_items(neighbourhoods, residents):
    for data in content.REGISTER_ITEMS:
        neighbourhood = neighbourhoods[data["neighbourhood"]]
        if Offer.objects.filter(
            neighbourhood=neighbourhood, task__isnull=True, description=data["description"]
        ).exists():
            continue
        owner = residents[data["owner"]]
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.get(slug=data["organisation"])
        item = services.list_standing_offer(
            neighbourhood=neighbourhood,
            user=owner,
            organisation=organisation,
            kind=data["kind"],
            description=data["description"],
            availability=data.get("availability", ""),
            estimated_value_cents=data.get("estimated_value_cents", 0),
            capacity=data.get("capacity"),
            step_free=data.get("step_free", False),
            accessible_toilet=data.get("accessible_toilet", False),
            accessibility_notes=data.get("accessibility_notes", ""),
        )
        if data.get("paused"):
            services.change_register_item(item=item, change="pause", user=owner)
