"""The payout account: SEPA IBANs only, KvK for organisations, edited by initiators only."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.audit import Action
from campaigns.models import AuditEntry, PayoutAccount
from campaigns.services import ServiceError
from campaigns.services import payouts as payout_services
from core.iban import mask_iban
from tests.factories import UserFactory, moderator
from tests.payouts.conftest import GOOD_IBAN

pytestmark = pytest.mark.django_db


def post_account(client, campaign, language="nl", **overrides):
    data = {
        "iban": "NL91 ABNA 0417 1643 00",
        "holder_name": "Anouk de Vries",
        "holder_kind": "person",
        "kvk_number": "",
        **overrides,
    }
    prefix = "" if language == "nl" else f"/{language}"
    return client.post(f"{prefix}/initiatives/{campaign.page_id}/payout/", data)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Dit IBAN klopt niet: de controlecijfers passen niet."),
        ("en", "This IBAN is not correct: its check digits do not match."),
    ],
)
def test_a_wrong_iban_checksum_is_refused_with_a_clear_message(client, funded, language, expected):
    campaign, initiator = funded
    client.force_login(initiator)
    response = post_account(client, campaign, language, iban="NL91ABNA0417164301")
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not PayoutAccount.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "We kunnen alleen uitbetalen op een bankrekening in het SEPA-gebied; BR"),
        ("en", "We can only pay out to a bank account in the SEPA area; BR is not part of it."),
    ],
)
def test_an_iban_outside_sepa_is_refused(client, funded, language, expected):
    campaign, initiator = funded
    client.force_login(initiator)
    response = post_account(client, campaign, language, iban="BR1500000000000010932840814P2")
    assert response.status_code == 400
    assert expected in response.content.decode()


def test_an_organisation_needs_an_eight_digit_kvk_number(client, funded):
    campaign, initiator = funded
    client.force_login(initiator)
    response = post_account(client, campaign, "en", holder_kind="organisation", kvk_number="")
    assert "needs its KvK number" in response.content.decode()
    response = post_account(client, campaign, "en", holder_kind="organisation", kvk_number="1234")
    assert "A KvK number has exactly 8 digits." in response.content.decode()
    response = post_account(
        client, campaign, "en", holder_kind="organisation", kvk_number="12345678"
    )
    assert response.status_code == 302
    assert PayoutAccount.objects.get().kvk_number == "12345678"


def test_the_initiator_saves_the_account_and_the_payout_is_requested(client, funded):
    campaign, initiator = funded
    client.force_login(initiator)
    response = post_account(client, campaign)
    assert response.status_code == 302
    account = PayoutAccount.objects.get()
    assert account.iban == GOOD_IBAN
    assert campaign.payout.amount_cents == 1_200_00
    entry = AuditEntry.objects.get(action=Action.PAYOUT_ACCOUNT_SAVED)
    assert entry.data["iban"] == "NL** **** **** **** 4300"
    assert GOOD_IBAN not in str(entry.data)
    page = client.get(f"/initiatives/{campaign.page_id}/payout/").content.decode()
    assert GOOD_IBAN in page  # the one screen that shows it in full


@pytest.mark.parametrize("who", ["stranger", "moderator", "anonymous"])
def test_only_initiators_see_or_edit_the_payout_account(client, funded, who):
    campaign, _initiator = funded
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "moderator":
        client.force_login(moderator())
    response = post_account(client, campaign)
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert not PayoutAccount.objects.exists()
    with pytest.raises(ServiceError):
        payout_services.save_payout_account(
            campaign=campaign,
            user=UserFactory(),
            iban=GOOD_IBAN,
            holder_name="X",
            holder_kind="person",
        )


def test_the_service_validates_the_iban_too(funded):
    campaign, initiator = funded
    with pytest.raises(ValidationError):
        payout_services.save_payout_account(
            campaign=campaign,
            user=initiator,
            iban="NL91ABNA0417164301",
            holder_name="Anouk",
            holder_kind="person",
        )


def test_masking_shows_the_country_and_the_last_four_only():
    assert mask_iban("NL91 ABNA 0417 1643 00") == "NL** **** **** **** 4300"
    assert mask_iban("DE89370400440532013000") == "DE** **** **** **** 3000"
