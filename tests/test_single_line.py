"""Titles and names typed into the front-end forms end up on one line (they reach e-mail
subjects), whatever line breaks are typed or pasted."""

import pytest

from accounts.forms import OrganisationForm, SignupProfileForm
from campaigns.forms import BudgetLineForm, InitiativeForm
from campaigns.payments.forms import DonationForm
from campaigns.views.updates import UpdateForm
from core.text import single_line
from tasks.forms import TaskForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (InitiativeForm, "title"),
        (BudgetLineForm, "description"),
        (SignupProfileForm, "display_name"),
        (OrganisationForm, "name"),
        (TaskForm, "title"),
        (UpdateForm, "title"),
        (DonationForm, "public_name"),
    ],
)
def test_line_breaks_become_spaces(form_class, field):
    form_field = form_class.base_fields[field]
    assert form_field.clean("Repair\r\nBcc: iedereen@example.nl\n") == (
        "Repair Bcc: iedereen@example.nl"
    )


def test_single_line_knows_every_kind_of_line_break():
    assert single_line("a\rb\nc\r\nd\u2028e\u2029f\x85g\vh\fi") == "a b c d e f g h i"
    assert single_line(None) is None
