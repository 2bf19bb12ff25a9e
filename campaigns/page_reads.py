"""The initiative page's reads, in plain SQL.

The initiative page is the platform's busiest page and reads from eight tables. Built
with querysets, each of its reads spent about 0.3-0.7 ms in Django compiling SQL and
0.01-0.05 ms in the database. These statements have a fixed shape, so they are written
out once here: ``cms.sql.ModelQuery`` turns their rows into model instances the way
``Manager.raw()`` does (with the database's type conversions), and plain cursors read
the sums and names.

Every function issues a fixed number of queries, however many budget lines, tasks or
pledges an initiative has (tests/campaigns/test_page_queries.py). Table names come from
the models, so only the statements' shape is written here.
"""

from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page

from campaigns.models import BudgetLine, Campaign, Follow, InitiativeUpdate, Pledge
from cms.sql import ModelQuery

HERO_RENDITION = "fill-1200x600"
UPDATE_RENDITION = "width-800"
SUPPORTERS_SHOWN = 24
UPDATES_SHOWN = 10


@cache
def _statements():
    from tasks.models import Offer, SignUp, Task

    Image = get_image_model()
    tables = {
        "campaign": Campaign._meta.db_table,
        "initiators": Campaign.initiators.through._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "task": Task._meta.db_table,
        "signup": SignUp._meta.db_table,
        "offer": Offer._meta.db_table,
        "organisation": Offer._meta.get_field("organisation").related_model._meta.db_table,
        "pledge": Pledge._meta.db_table,
        "update": InitiativeUpdate._meta.db_table,
        "page": Page._meta.db_table,
        "budget_line": BudgetLine._meta.db_table,
        "image": Image._meta.db_table,
        "rendition": Image.get_rendition_model()._meta.db_table,
    }
    statements = {
        "campaign": "SELECT * FROM {campaign} WHERE page_id = %s",
        "initiators": (
            "SELECT u.* FROM {user} u JOIN {initiators} i ON i.user_id = u.id"
            " WHERE i.campaign_id = %s ORDER BY i.id"
        ),
        "tasks": (
            "SELECT t.*, (SELECT COUNT(*) FROM {signup} s"
            " WHERE s.task_id = t.id AND s.status IN (%s, %s)) AS helpers"
            " FROM {task} t WHERE t.initiative_id = %s ORDER BY t.position, t.id"
        ),
        "time_given": (
            "SELECT"
            " (SELECT SUM(s.hours_confirmed) FROM {signup} s JOIN {task} t ON t.id = s.task_id"
            "  WHERE t.initiative_id = %s),"
            " (SELECT COUNT(DISTINCT s.user_id) FROM {signup} s JOIN {task} t ON t.id = s.task_id"
            "  WHERE t.initiative_id = %s AND s.status IN (%s, %s))"
        ),
        "accepted_offers": (
            "SELECT o.estimated_value_cents, g.name FROM {offer} o"
            " JOIN {task} t ON t.id = o.task_id"
            " LEFT JOIN {organisation} g ON g.id = o.organisation_id"
            " WHERE t.initiative_id = %s AND o.status = %s"
        ),
        "supporters": (
            "SELECT id, amount_cents, currency, public_name, is_anonymous, message, paid_at"
            " FROM {pledge} WHERE campaign_id = %s AND status IN (%s, %s)"
            " ORDER BY paid_at IS NULL, paid_at DESC, id DESC LIMIT %s"
        ),
        "updates": (
            "SELECT * FROM {update} WHERE campaign_id = %s"
            " ORDER BY created_at DESC, id DESC LIMIT %s"
        ),
        "budget_lines": "SELECT * FROM {budget_line} WHERE page_id = %s ORDER BY sort_order, id",
        "parent": "SELECT * FROM {page} WHERE path = %s",
        "image": "SELECT * FROM {image} WHERE id = %s",
        "renditions": "SELECT * FROM {rendition} WHERE image_id = %s AND filter_spec = %s",
    }
    models = {
        "campaign": Campaign,
        "initiators": get_user_model(),
        "tasks": Task,
        "supporters": Pledge,
        "updates": InitiativeUpdate,
        "budget_lines": BudgetLine,
        "parent": Page,
        "image": Image,
        "renditions": Image.get_rendition_model(),
    }
    return {
        name: ModelQuery(models[name], sql.format(**tables))
        if name in models
        else sql.format(**tables)
        for name, sql in statements.items()
    }


def _read(name, params):
    """Model instances from the named statement."""
    return _statements()[name].all(params)


def _first(name, params):
    return _statements()[name].first(params)


def _cursor_rows(name, params):
    with connection.cursor() as cursor:
        cursor.execute(_statements()[name], params)
        return cursor.fetchall()


def initiative_page_context(page, request):
    from campaigns.permissions import is_moderator
    from tasks.models import Offer, SignUp, Task

    user = request.user
    campaign = _first("campaign", [page.pk])
    initiators, supporters, updates = [], [], []
    following = False
    if campaign is not None:
        campaign.page = page  # the page being shown: no second query, and drafts preview right
        initiators = _read("initiators", [campaign.pk])
        supporters = _read("supporters", [campaign.pk, *Pledge.COUNTED_STATUSES, SUPPORTERS_SHOWN])
        updates = _updates(campaign)
        following = (
            user.is_authenticated and Follow.objects.filter(campaign=campaign, user=user).exists()
        )
    tasks = _read("tasks", [*SignUp.ACTIVE_STATUSES, page.pk])
    accepted_offers = _cursor_rows("accepted_offers", [page.pk, Offer.Status.ACCEPTED])
    [(hours, helper_count)] = _cursor_rows(
        "time_given", [page.pk, page.pk, *SignUp.ACTIVE_STATUSES]
    )
    if getattr(request, "is_preview", False):
        budget_lines = list(page.budget_lines.all())  # a revision's lines, held in memory
    else:
        budget_lines = _read("budget_lines", [page.pk])
    my_signups = {}
    if user.is_authenticated:
        my_signups = {
            signup.task_id: signup
            for signup in SignUp.objects.filter(
                task__initiative_id=page.pk, user=user, status=SignUp.Status.SIGNED_UP
            )
        }
    return {
        "updates": updates,
        "helping_organisations": sorted({name for _value, name in accepted_offers if name}),
        "helper_count": helper_count,
        "following": following,
        "in_kind_cents": sum(value for value, _name in accepted_offers),
        "hours_given": _whole(hours),
        "my_signups": my_signups,
        "can_manage": campaign is not None
        and user.is_authenticated
        and (user.pk in {person.pk for person in initiators} or is_moderator(user)),
        "campaign": campaign,
        "initiators": initiators,
        "tasks": tasks,
        "tasks_done": sum(1 for task in tasks if task.status == Task.Status.DONE),
        "budget_lines": budget_lines,
        "budget_total_cents": sum(line.amount_cents for line in budget_lines),
        "supporters": supporters,
        "hero": _hero_rendition(page),
        "neighbourhood": _first("parent", [page.path[: -Page.steplen]]),
    }


def _updates(campaign):
    updates = _read("updates", [campaign.pk, UPDATES_SHOWN])
    image_ids = {update.image_id for update in updates if update.image_id}
    if image_ids:
        images = get_image_model().objects.prefetch_renditions(UPDATE_RENDITION).in_bulk(image_ids)
        for update in updates:
            if update.image_id:
                update.image = images.get(update.image_id)
    return updates


def _hero_rendition(page):
    """The cover image's hero rendition, read with the image in two short queries.

    Wagtail's ``image`` tag calls ``get_rendition``, which writes the rendition back to
    the cache on every view even when it was prefetched; ``get_renditions`` does not.
    """
    if not page.cover_image_id:
        return None
    image = _first("image", [page.cover_image_id])
    if image is None:
        return None
    renditions = _read("renditions", [image.pk, HERO_RENDITION])
    for rendition in renditions:
        rendition.image = image
    image.prefetched_renditions = renditions
    try:
        return image.get_renditions(HERO_RENDITION)[HERO_RENDITION]
    except SourceImageIOError:
        return get_rendition_or_not_found(image, HERO_RENDITION)


def _whole(hours):
    """Hours as shown on pages: 36, or 36.5 when there is half an hour."""
    if not hours:
        return 0
    hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    return int(hours) if hours == int(hours) else hours
