"""The demo's impact after realisation, written through the real service.

De Bruisplaats, realised after its account of spending was approved, tells what
happened: its participants, a short story and a photo made from its cover picture.
Skipped when the report exists already.
"""

from django.core.files.base import ContentFile

from campaigns.models import Campaign, ImpactReport
from campaigns.services import impact as impact_services

BRUISPLAATS_IMPACT = {
    "participants": 140,
    "story": (
        "Op de opening kwamen 140 buren, ondernemers en mensen van de gemeente. In zes "
        "zaterdagen hebben vrijwilligers de ruimte geschilderd, een keuken ingericht en "
        "tafels en banken gemaakt van gebruikt steigerhout.\n\n"
        "Nu staat er elke woensdag koffie klaar en zijn er al vier nieuwe plannen voor de "
        "binnenstad begonnen aan onze tafels."
    ),
    "alt_text": "De geschilderde ontmoetingsruimte van De Bruisplaats met houten tafels",
}


def ensure_impact_reports():
    campaign = (
        Campaign.objects.select_related("page__cover_image")
        .filter(page__slug="de-bruisplaats", status=Campaign.Status.REALISED)
        .first()
    )
    if campaign is None or ImpactReport.objects.filter(campaign=campaign).exists():
        return
    photos = []
    cover = campaign.page.cover_image
    if cover is not None:
        with cover.file.open("rb") as source:
            picture = ContentFile(source.read(), name="de-bruisplaats-opening.jpg")
        photos.append(impact_services.NewPhoto(picture, BRUISPLAATS_IMPACT["alt_text"]))
    impact_services.save_impact_report(
        campaign=campaign,
        user=campaign.initiators.order_by("pk").first(),
        participants=BRUISPLAATS_IMPACT["participants"],
        story=BRUISPLAATS_IMPACT["story"],
        new_photos=photos,
    )
