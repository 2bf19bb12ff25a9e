"""The scale data set's Wagtail tree: cities, neighbourhoods and initiative pages.

Pages are appended under the demo's home page with ``COPY``, not ``Page.add_child``
(about 10 ms a page, mostly treebeard and the reference index). The loader therefore
computes what treebeard and Wagtail would: the materialised ``path`` (treebeard's
``MP_Node`` steps of four base-36 characters), ``depth``, each parent's ``numchild`` and
``url_path``; :func:`tree_problems` checks the whole tree in SQL afterwards.
"""

import json
import random
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from bench.scale.copying import copy_rows, execute, max_id, scalar
from campaigns.models import Campaign, InitiativePage
from campaigns.models.campaign import listing_keys
from cms.models import CityPage, HomePage, NeighbourhoodPage

PAGE_COLUMNS = [
    "id", "path", "depth", "numchild", "title", "slug", "live", "has_unpublished_changes",
    "url_path", "seo_title", "show_in_menus", "search_description", "expired",
    "content_type_id", "locked", "first_published_at", "last_published_at",
    "draft_title", "translation_key", "locale_id",
]  # fmt: skip
CAMPAIGN_COLUMNS = [
    "id", "status", "currency", "raised_cents", "supporter_count", "moderator_note",
    "created_at", "submitted_at", "live_at", "closed_at", "page_id", "cancel_reason",
    "cache_version", "listing_rank", "closing_rank",
]  # fmt: skip
INITIATIVE_COLUMNS = [
    "page_ptr_id", "summary", "story", "category", "location", "goal_cents",
    "stretch_goal_cents", "currency", "deadline", "funding_model", "title_en", "summary_en",
]  # fmt: skip
# A third of the titles hold "tuin" inside a compound, as Dutch initiatives do.
WORDS = [
    "Geveltuin", "Buurtmoestuin", "Repair café", "Speeltuin", "Buurtkeuken", "Minibieb",
    "Bankjes", "Muurschildering", "Pluktuin", "Buurtfeest", "Jeu de boules-baan", "Wijkbus",
]  # fmt: skip
CATEGORIES = ["green", "green", "repair", "play", "food", "culture", "meeting_place", "care"]
STORY = json.dumps(
    [{"type": "paragraph", "value": "<p>Samen maken we de wijk mooier.</p>", "id": "s1"}]
)


class Tree:
    """Appends pages under parents, keeping each parent's next step and child count."""

    def __init__(self):
        self.next_id = max_id("wagtailcore_page") + 1
        self.locale_id = Locale.get_default().pk
        self.now = timezone.now()
        self.numchild = {}
        self.next_step = {}

    def _step(self, parent):
        if parent["path"] not in self.next_step:
            last = (
                Page.objects.filter(path__startswith=parent["path"], depth=parent["depth"] + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            self.next_step[parent["path"]] = Page._str2int(last[-Page.steplen :]) if last else 0
            self.numchild[parent["path"]] = parent["numchild"]
        self.next_step[parent["path"]] += 1
        self.numchild[parent["path"]] += 1
        return self.next_step[parent["path"]]

    def child(self, parent, title, slug, content_type_id):
        """A page row under ``parent`` (a dict of id, path, depth, numchild, url_path)."""
        depth = parent["depth"] + 1
        page = {
            "id": self.next_id,
            "path": Page._get_path(parent["path"], depth, self._step(parent)),
            "depth": depth,
            "numchild": 0,
            "url_path": f"{parent['url_path']}{slug}/",
            "title": title,
        }
        self.next_id += 1
        row = (
            page["id"], page["path"], depth, 0, title, slug, True, False, page["url_path"],
            "", False, "", False, content_type_id, False, self.now, self.now, title,
            uuid.uuid4(), self.locale_id,
        )  # fmt: skip
        return page, row

    def save_numchild(self):
        for path, numchild in self.numchild.items():
            execute("UPDATE wagtailcore_page SET numchild = %s WHERE path = %s", [numchild, path])


def _as_parent(page):
    return {
        "id": page.pk,
        "path": page.path,
        "depth": page.depth,
        "numchild": page.numchild,
        "url_path": page.url_path,
        "title": page.title,
    }


def build_places(tree, cities_wanted, neighbourhoods_wanted):
    """Cities up to ``cities_wanted`` and ``neighbourhoods_wanted`` neighbourhoods in all."""
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    cities = [_as_parent(c) for c in CityPage.objects.child_of(home).order_by("path")]
    city_ct = ContentType.objects.get_for_model(CityPage).pk
    hood_ct = ContentType.objects.get_for_model(NeighbourhoodPage).pk
    page_rows, city_rows, hood_rows = [], [], []
    for index in range(len(cities), cities_wanted):
        page, row = tree.child(_as_parent(home), f"Stad {index + 1}", f"stad-{index + 1}", city_ct)
        cities.append(page)
        page_rows.append(row)
        city_rows.append((page["id"], f"Initiatieven in stad {index + 1}", "[]"))
    hoods = [_as_parent(n) for n in NeighbourhoodPage.objects.order_by("path")]
    per_city = {city["path"]: 0 for city in cities}
    for hood in hoods:
        per_city[hood["path"][: -Page.steplen]] = per_city.get(hood["path"][: -Page.steplen], 0) + 1
    index = 0
    while len(hoods) < neighbourhoods_wanted:
        city = min(cities, key=lambda c: (per_city[c["path"]], c["path"]))
        per_city[city["path"]] += 1
        index += 1
        title = f"Wijk {index}"
        page, row = tree.child(city, title, f"wijk-{index}", hood_ct)
        hoods.append(page)
        page_rows.append(row)
        hood_rows.append((page["id"], f"{title} in {city['title']}", "", "[]"))
    copy_rows("wagtailcore_page", PAGE_COLUMNS, page_rows)
    copy_rows("cms_citypage", ["page_ptr_id", "intro", "body"], city_rows)
    copy_rows("cms_neighbourhoodpage", ["page_ptr_id", "intro", "vision", "themes"], hood_rows)
    return hoods


def build_initiatives(tree, hoods, count, closing, rng):
    """``count`` initiative pages with a campaign each, spread evenly over ``hoods``.

    The first ``closing`` campaigns are live with yesterday's deadline (the deadline
    night): the even ones all-or-nothing with a goal their pledges will not reach, the odd
    ones keep-what-you-raise. Of the rest, most are live; some succeeded or failed.
    Returns a list of ``(page_id, campaign_id, status)``.
    """
    ct = ContentType.objects.get_for_model(InitiativePage).pk
    now = tree.now
    today = now.date()
    campaign_id = max_id("campaigns_campaign") + 1
    pages, initiatives, campaigns, made = [], [], [], []
    for index in range(count):
        hood = hoods[index % len(hoods)]
        word = WORDS[index % len(WORDS)]
        title = f"{word} {hood['title']} {index + 1}"
        page, row = tree.child(hood, title, slugify(f"{word}-{index + 1}"), ct)
        pages.append(row)
        if index < closing:
            status = Campaign.Status.LIVE
            deadline = today - timedelta(days=1)
            model = "all_or_nothing" if index % 2 == 0 else "keep_what_you_raise"
            goal = 50_000_00
        else:
            status = rng.choices(
                [Campaign.Status.LIVE, Campaign.Status.SUCCEEDED, Campaign.Status.FAILED],
                [85, 10, 5],
            )[0]
            live = status == Campaign.Status.LIVE
            deadline = today + timedelta(days=rng.randint(5, 90) if live else -rng.randint(5, 300))
            model = rng.choice(["all_or_nothing", "keep_what_you_raise"])
            goal = rng.randint(5, 200) * 100_00
        initiatives.append(
            (page["id"], f"Een plan voor {hood['title']}.", STORY, rng.choice(CATEGORIES),
             hood["title"], goal, None, "EUR", deadline, model, "", "")
        )  # fmt: skip
        closed = None if status == Campaign.Status.LIVE else now
        started = now - timedelta(days=30)
        campaigns.append(
            (campaign_id, status, "EUR", 0, 0, "", started, started, started, closed,
             page["id"], "", 0, *listing_keys(status, deadline))
        )  # fmt: skip
        made.append((page["id"], campaign_id, status))
        campaign_id += 1
    copy_rows("wagtailcore_page", PAGE_COLUMNS, pages)
    copy_rows("campaigns_initiativepage", INITIATIVE_COLUMNS, initiatives)
    copy_rows("campaigns_campaign", CAMPAIGN_COLUMNS, campaigns)
    return made


def index_for_search(first_page_id):
    """Wagtail's database search index for the new initiative pages, written in SQL.

    The same columns ``update_index`` fills (title and body vectors, the autocomplete
    vector, the raw text), from the title, summary and location.
    """
    ct = ContentType.objects.get_for_model(InitiativePage).pk
    return execute(
        """
        INSERT INTO wagtailsearch_indexentry
            (object_id, title_norm, content_type_id, autocomplete, title, body,
             title_text, body_text)
        SELECT p.id::text, 1.0, %s, to_tsvector('simple', p.title),
               setweight(to_tsvector(p.title), 'B'),
               to_tsvector(i.summary || ' ' || i.location),
               p.title, i.summary || ' ' || i.location
        FROM wagtailcore_page p JOIN campaigns_initiativepage i ON i.page_ptr_id = p.id
        WHERE p.id >= %s
        """,
        [ct, first_page_id],
    )


def tree_problems():
    """Counts of broken tree rows (all zero in a valid tree), checked in SQL over all pages.

    What treebeard's ``find_problems`` and ``fix_tree`` look at: a depth that does not
    match the path, a missing parent, a wrong ``numchild``, a ``url_path`` that is not the
    parent's plus the slug, and duplicate paths.
    """
    checks = {
        "bad_depth": "SELECT count(*) FROM wagtailcore_page WHERE length(path) <> depth * 4",
        "orphans": """SELECT count(*) FROM wagtailcore_page c WHERE c.depth > 1 AND NOT EXISTS
            (SELECT 1 FROM wagtailcore_page p WHERE p.path = left(c.path, -4))""",
        "bad_numchild": """SELECT count(*) FROM wagtailcore_page p LEFT JOIN
            (SELECT left(path, -4) AS parent, count(*) AS n FROM wagtailcore_page
             WHERE depth > 1 GROUP BY 1) c ON c.parent = p.path
            WHERE p.numchild <> COALESCE(c.n, 0)""",
        "bad_url_path": """SELECT count(*) FROM wagtailcore_page c JOIN wagtailcore_page p
            ON p.path = left(c.path, -4) WHERE c.depth > 2
            AND c.url_path <> p.url_path || c.slug || '/'""",
        "duplicate_paths": """SELECT count(*) - count(DISTINCT path) FROM wagtailcore_page""",
    }
    return {name: scalar(sql) for name, sql in checks.items()}


def new_rng(seed=15):
    return random.Random(seed)
