"""Demo payouts and proof of spending, through the real services.

De Bruisplaats (two approvals: its amount is above the threshold) and Buurtmoestuin
Oosterwei were paid out in one batch, accounted for their spending and are realised: a
moderator's approval of that account is the only way an initiative becomes realised.
Bankjes voor de wijk has an approved payout waiting for ``manage.py payout_batch``. Each
step is skipped when it was done already.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from campaigns.models import Campaign, Payout, SpendingProof
from campaigns.services import payouts as payout_services
from campaigns.services import spending as spending_services
from demo.two_factor import ensure_totp

TREASURERS = [
    ("penningmeester@wijkkapitaal.nl", "Penningmeester Wijkkapitaal"),
    ("controller@wijkkapitaal.nl", "Controller Wijkkapitaal"),
]
TREASURER_PASSWORD = "wijkdemo-penningmeester"
TREASURER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("campaigns", "view_payout"),
    ("campaigns", "change_payout"),
    ("campaigns", "view_payoutbatch"),
]
ACCOUNTS = {
    "de-bruisplaats": (
        "NL02ABNA0123456789",
        "Stichting De Bruisplaats",
        "organisation",
        "87654321",
    ),
    "buurtmoestuin-oosterwei": ("NL91ABNA0417164300", "Ricardo Martens", "person", ""),
    "bankjes-voor-de-wijk": ("NL44RABO0123456789", "Ingrid de Boer", "person", ""),
}
# (budget line description, what was bought, amount in cents)
BRUISPLAATS_RECEIPTS = [
    ("Verf en materiaal", "Muurverf, kwasten en rollers (Gamma)", 684_35),
    ("Verf en materiaal", "Afplaktape en afdekfolie", 97_80),
    ("Keuken en koffiemachine", "Koffiemachine en waterkoker", 1_049_00),
    ("Meubels van gebruikt hout", "Steigerhout en schroeven", 612_40),
]
MOESTUIN_RECEIPTS = [
    ("Moestuinbakken", "Twaalf moestuinbakken van lariks", 1_310_00),
    ("Zaden en compost", "Zaden, pootgoed en compost", 385_50),
]
# The demo's realised initiatives, in the order they are paid out and accounted for.
REALISED = {
    "de-bruisplaats": BRUISPLAATS_RECEIPTS,
    "buurtmoestuin-oosterwei": MOESTUIN_RECEIPTS,
}


def _pdf(text):
    body = f"%PDF-1.4\n% Wijkkapitaal demo receipt: {text}\n%%EOF\n"
    return ContentFile(body.encode(), name="bon.pdf")


def ensure_treasurers():
    User = get_user_model()
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in TREASURER_PERMISSIONS
    ]
    people = []
    for email, name in TREASURERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=TREASURER_PASSWORD, display_name=name, is_staff=True
            )
        user.user_permissions.add(*permissions)
        ensure_totp(user)
        people.append(User.objects.get(pk=user.pk))  # fresh permission cache
    return people


def _campaign(slug):
    return Campaign.objects.select_related("page").filter(page__slug=slug).first()


def _approved_payout(campaign, treasurers):
    initiator = campaign.initiators.first()
    iban, holder, kind, kvk = ACCOUNTS[campaign.page.slug]
    payout = Payout.objects.filter(campaign=campaign).first()
    if payout is None:
        payout_services.save_payout_account(
            campaign=campaign,
            user=initiator,
            iban=iban,
            holder_name=holder,
            holder_kind=kind,
            kvk_number=kvk,
        )
        payout = payout_services.request_payout(campaign=campaign, user=initiator)
    for treasurer in treasurers:
        if payout.status == Payout.Status.REQUESTED:
            payout = payout_services.approve_payout(payout=payout, user=treasurer)
    return payout


def ensure_payouts():
    treasurers = ensure_treasurers()
    to_realise = [
        campaign
        for campaign in map(_campaign, REALISED)
        if campaign is not None and campaign.status == Campaign.Status.SUCCEEDED
    ]
    payouts = [_approved_payout(campaign, treasurers) for campaign in to_realise]
    if any(payout.status == Payout.Status.APPROVED for payout in payouts):
        batch = payout_services.create_batch(user=treasurers[0])
        payout_services.mark_batch_paid(batch=batch, user=treasurers[1])
    for campaign in to_realise:
        _account_for_spending(campaign, REALISED[campaign.page.slug])
    bankjes = _campaign("bankjes-voor-de-wijk")
    if bankjes is not None and bankjes.status == Campaign.Status.SUCCEEDED:
        _approved_payout(bankjes, treasurers)


def _account_for_spending(campaign, receipts):
    initiator = campaign.initiators.first()
    if not SpendingProof.objects.filter(campaign=campaign).exists():
        lines = {line.description: line for line in campaign.page.budget_lines.all()}
        for line, text, amount in receipts:
            spending_services.add_receipt(
                campaign=campaign,
                user=initiator,
                budget_line=lines[line],
                description=text,
                amount_cents=amount,
                file=_pdf(text),
                content_type="application/pdf",
            )
        spending_services.submit_spending(campaign=campaign, user=initiator)
    proof = SpendingProof.objects.get(campaign=campaign)
    if proof.status == SpendingProof.Status.SUBMITTED:
        moderator = get_user_model().objects.get(email="moderator@wijkkapitaal.nl")
        spending_services.approve_spending(proof=proof, user=moderator)
