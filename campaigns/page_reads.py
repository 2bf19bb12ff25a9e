"""The initiative page's reads, in plain SQL.

The initiative page is the platform's busiest page and reads from a dozen tables. Built
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
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page

from campaigns.models import BudgetLine, Campaign, Follow, InitiativeUpdate, Pledge
from campaigns.models.ledger import shown_name
from cms.sql import ModelQuery

HERO_RENDITION = "fill-1200x600"
UPDATE_RENDITION = "width-800"
SUPPORTERS_SHOWN = 24
UPDATES_SHOWN = 10


class Supporter(NamedTuple):
    display_name: str | None  # None shows as "Anonymous"
    message: str


def _in_list(name, values):
    """Placeholders and parameters for ``IN (...)`` over a fixed list of values."""
    names = [f"{name}_{index}" for index in range(len(values))]
    return ", ".join(f"%({name})s" for name in names), dict(zip(names, values, strict=True))


@cache
def _reads():
    """The page's statements, built on first use, when the models' tables are known."""
    from tasks.models import Offer, SignUp, Task

    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    User = get_user_model()
    active_signups, active_signup_values = _in_list("active", SignUp.ACTIVE_STATUSES)
    counted_pledges, counted_pledge_values = _in_list("counted", Pledge.COUNTED_STATUSES)
    organisation = Offer._meta.get_field("organisation").related_model
    tables = {
        "campaign": Campaign._meta.db_table,
        "initiators": Campaign.initiators.through._meta.db_table,
        "user": User._meta.db_table,
        "task": Task._meta.db_table,
        "signup": SignUp._meta.db_table,
        "offer": Offer._meta.db_table,
        "organisation": organisation._meta.db_table,
        "pledge": Pledge._meta.db_table,
        "update": InitiativeUpdate._meta.db_table,
        "budget_line": BudgetLine._meta.db_table,
        "page": Page._meta.db_table,
        "image": Image._meta.db_table,
        "rendition": Rendition._meta.db_table,
        "active_signups": active_signups,
        "counted_pledges": counted_pledges,
    }

    def sql(statement):
        return statement.format(**tables)

    return SimpleNamespace(
        active_signups=active_signup_values,
        counted_pledges=counted_pledge_values,
        campaign=ModelQuery(Campaign, sql("SELECT * FROM {campaign} WHERE page_id = %(page)s")),
        initiators=ModelQuery(
            User,
            sql(
                "SELECT u.* FROM {user} u JOIN {initiators} i ON i.user_id = u.id"
                " WHERE i.campaign_id = %(campaign)s ORDER BY i.id"
            ),
        ),
        # Tasks in the model's order (position, then id), as the manage page lists them.
        tasks=ModelQuery(
            Task,
            sql(
                "SELECT t.*, (SELECT COUNT(*) FROM {signup} s"
                " WHERE s.task_id = t.id AND s.status IN ({active_signups})) AS helpers"
                " FROM {task} t WHERE t.initiative_id = %(page)s ORDER BY t.position, t.id"
            ),
        ),
        # Plain rows: the page shows only a name and a message, 24 times.
        supporters=sql(
            "SELECT public_name, is_anonymous, message"
            " FROM {pledge} WHERE campaign_id = %(campaign)s AND status IN ({counted_pledges})"
            " ORDER BY paid_at IS NULL, paid_at DESC, id DESC LIMIT %(limit)s"
        ),
        updates=ModelQuery(
            InitiativeUpdate,
            sql(
                "SELECT * FROM {update} WHERE campaign_id = %(campaign)s"
                " ORDER BY created_at DESC, id DESC LIMIT %(limit)s"
            ),
        ),
        budget_lines=ModelQuery(
            BudgetLine,
            sql("SELECT * FROM {budget_line} WHERE page_id = %(page)s ORDER BY sort_order, id"),
        ),
        parent=ModelQuery(Page, sql("SELECT * FROM {page} WHERE path = %(path)s")),
        image=ModelQuery(Image, sql("SELECT * FROM {image} WHERE id = %(image)s")),
        renditions=ModelQuery(
            Rendition,
            sql("SELECT * FROM {rendition} WHERE image_id = %(image)s AND filter_spec = %(spec)s"),
        ),
        time_given=sql(
            "SELECT"
            " (SELECT SUM(s.hours_confirmed) FROM {signup} s JOIN {task} t ON t.id = s.task_id"
            "  WHERE t.initiative_id = %(page)s),"
            " (SELECT COUNT(DISTINCT s.user_id) FROM {signup} s JOIN {task} t ON t.id = s.task_id"
            "  WHERE t.initiative_id = %(page)s AND s.status IN ({active_signups}))"
        ),
        accepted_offers=sql(
            "SELECT o.estimated_value_cents, g.name FROM {offer} o"
            " JOIN {task} t ON t.id = o.task_id"
            " LEFT JOIN {organisation} g ON g.id = o.organisation_id"
            " WHERE t.initiative_id = %(page)s AND o.status = %(accepted)s"
        ),
    )


def _rows(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def initiative_page_context(page, request):
    from campaigns.permissions import is_moderator
    from tasks.models import Offer, SignUp, Task

    user = request.user
    reads = _reads()
    campaign = reads.campaign.first({"page": page.pk})
    initiators, supporters, updates = [], [], []
    following = False
    if campaign is not None:
        campaign.page = page  # the page being shown: no second query, and drafts preview right
        initiators = reads.initiators.all({"campaign": campaign.pk})
        supporters = [
            Supporter(shown_name(public_name, is_anonymous), message)
            for public_name, is_anonymous, message in _rows(
                reads.supporters,
                {"campaign": campaign.pk, "limit": SUPPORTERS_SHOWN, **reads.counted_pledges},
            )
        ]
        updates = _updates(campaign)
        following = (
            user.is_authenticated and Follow.objects.filter(campaign=campaign, user=user).exists()
        )
    tasks = reads.tasks.all({"page": page.pk, **reads.active_signups})
    accepted_offers = _rows(
        reads.accepted_offers, {"page": page.pk, "accepted": Offer.Status.ACCEPTED}
    )
    [(hours, helper_count)] = _rows(reads.time_given, {"page": page.pk, **reads.active_signups})
    is_preview = getattr(request, "is_preview", False)
    if is_preview:
        budget_lines = list(page.budget_lines.all())  # a revision's lines, held in memory
    else:
        budget_lines = reads.budget_lines.all({"page": page.pk})
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
        "is_preview": is_preview,
        "neighbourhood": reads.parent.first({"path": page.path[: -Page.steplen]}),
    }


def _updates(campaign):
    updates = _reads().updates.all({"campaign": campaign.pk, "limit": UPDATES_SHOWN})
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
    image = _reads().image.first({"image": page.cover_image_id})
    if image is None:
        return None
    renditions = _reads().renditions.all({"image": image.pk, "spec": HERO_RENDITION})
    for rendition in renditions:
        rendition.image = image
    image.prefetched_renditions = renditions
    try:
        return image.get_renditions(HERO_RENDITION)[HERO_RENDITION]
    except SourceImageIOError:
        return get_rendition_or_not_found(image, HERO_RENDITION)


def _whole(hours):
    """Hours as shown on pages: 36, or 36.5 when there is half an hour.

    SQLite sums a decimal column as a float, so the sum is rounded back to the field's
    decimal places.
    """
    if not hours:
        return 0
    from tasks.models import SignUp

    places = SignUp._meta.get_field("hours_confirmed").decimal_places
    hours = Decimal(str(hours)).quantize(Decimal(1).scaleb(-places))
    return int(hours) if hours == int(hours) else hours.normalize()
