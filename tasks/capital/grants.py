"""The funds' grants to initiatives in the 360Giving Data Standard (schema 1.4).

A grant is what one funding programme matched for one initiative (its active matches).
The funder is the programme's organisation, identified by ``NL-KVK-<number>`` once a
moderator checked its KvK number, else by the platform's own ``360G-wijkkapitaal-org-<id>``;
the recipient is the initiative (``360G-wijkkapitaal-initiative-<id>``). A grant matched
on the gifts of fewer than ``MIN_DONORS`` donors is left out: its amount would reveal
them (the small-numbers rule of :mod:`tasks.capital.disclosure`).
"""

from django.db.models import Count, Max, Min, Q, Sum

from campaigns.models import Campaign, FundingProgramme
from tasks.capital.disclosure import MIN_DONORS
from tasks.capital.meter import active_matches, public_campaigns

PREFIX = "360G-wijkkapitaal"
CHUNK_SIZE = 2000


def organisation_id(organisation):
    if organisation.verified_at and organisation.kvk_number:
        return f"NL-KVK-{organisation.kvk_number}"
    return f"{PREFIX}-org-{organisation.pk}"


def _donors():
    pledge = "pledge__"
    return (
        Count(pledge + "donor_id", distinct=True)
        + Count(pledge + "guest_email", distinct=True,
                filter=Q(pledge__donor__isnull=True, pledge__supporter_ref=""))
        + Count(pledge + "supporter_ref", distinct=True,
                filter=Q(pledge__donor__isnull=True) & ~Q(pledge__supporter_ref=""))
    )  # fmt: skip


def grant_rows(scope):
    """(programme id, campaign id, total, first, last) per grant, in a stable order."""
    return (
        active_matches(public_campaigns(scope))
        .values("programme_id", "campaign_id")
        .annotate(
            total=Sum("amount_cents"),
            donors=_donors(),
            first=Min("created_at"),
            last=Max("updated_at"),
        )
        .filter(donors__gte=MIN_DONORS)
        .order_by("programme_id", "campaign_id")
    )


def grants(scope, absolute_url):
    """360Giving grant objects, one per programme and initiative; two queries per chunk."""
    rows = grant_rows(scope)
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from _describe(chunk, absolute_url)
            chunk = []
    yield from _describe(chunk, absolute_url)


def _describe(rows, absolute_url):
    if not rows:
        return
    programmes = FundingProgramme.objects.select_related("organisation").in_bulk(
        {row["programme_id"] for row in rows}
    )
    campaigns = Campaign.objects.select_related("page").in_bulk(
        {row["campaign_id"] for row in rows}
    )
    for row in rows:
        programme = programmes[row["programme_id"]]
        campaign = campaigns[row["campaign_id"]]
        page = campaign.page
        organisation = programme.organisation
        yield {
            "id": f"{PREFIX}-{programme.slug}-{campaign.pk}",
            "title": f"{programme.name}: {page.title}",
            "description": page.summary or page.title,
            "currency": campaign.currency,
            "amountAwarded": row["total"] / 100,
            "awardDate": row["first"].date().isoformat(),
            "url": absolute_url(page),
            "recipientOrganization": [
                {"id": f"{PREFIX}-initiative-{page.pk}", "name": page.title, "addressCountry": "NL"}
            ],
            "fundingOrganization": [
                {"id": organisation_id(organisation), "name": organisation.name}
            ],
            "grantProgramme": [{"code": programme.slug, "title": programme.name}],
            "dateModified": row["last"].isoformat(),
        }
