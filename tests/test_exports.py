"""Spreadsheet exports never hand a formula to the reader's spreadsheet program."""

import csv
import io

import pytest

from campaigns.admin_views import PledgeViewSet
from campaigns.models import AuditEntry
from core.text import spreadsheet_safe
from tests.factories import PledgeFactory, make_initiative, moderator, site_tree


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Els", "Els"),
        ("", ""),
        (-500, -500),
        (None, None),
    ],
)
def test_cells_that_start_a_formula_are_neutralised(value, expected):
    assert spreadsheet_safe(value) == expected


def _rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_every_staff_export_neutralises_formulas(client):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    PledgeFactory(
        campaign=campaign,
        public_name='=HYPERLINK("http://evil.example","Klik")',
        message="@SUM(1+1)",
        amount_cents=10_00,
    )
    AuditEntry.objects.create(action="-1+1", object_type="pledge", object_id="1")
    client.force_login(moderator())

    pledges = _rows(client.get("/admin/pledges/", {"export": "csv"}))
    columns, row = PledgeViewSet.list_export, pledges[1]
    assert row[columns.index("public_name")] == '\'=HYPERLINK("http://evil.example","Klik")'
    assert row[columns.index("message")] == "'@SUM(1+1)"
    assert row[columns.index("amount_cents")] == "1000"

    audit = _rows(client.get("/admin/audit_log/", {"export": "csv"}))
    cells = [cell for line in audit[1:] for cell in line]
    assert "'-1+1" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
