"""One word, one way: an initiative becomes realised only when a moderator approves its
account of spending (``campaigns.services.spending.approve_spending``).

The source is read rather than run, so a second path (a service, an admin action, demo
data or a job that fires ``realise`` itself) fails here the day it is written.
"""

import ast
from pathlib import Path

from campaigns import services

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("config", "core", "accounts", "cms", "campaigns", "tasks", "notifications", "demo")
FIRING = {"fire", "fire_many", "getattr"}
WRITING = {"update", "create", "bulk_create", "update_or_create", "get_or_create"}


def _callee(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _realising_calls(path):
    """(function, line) of every call that fires ``realise`` or writes the status by hand."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            named = _callee(node) in FIRING and any(
                isinstance(arg, ast.Constant) and arg.value == "realise" for arg in node.args
            )
            direct = _callee(node) == "realise" and isinstance(node.func, ast.Attribute)
            written = _callee(node) in WRITING and any(
                keyword.arg == "status" and "realised" in ast.unparse(keyword.value).lower()
                for keyword in node.keywords
            )
            if named or direct or written:
                found.append((function.name, node.lineno))
    return found


def _all_realising_calls():
    calls = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            calls += [(relative, name) for name, _line in _realising_calls(path)]
    return calls


def test_only_the_approval_of_the_spending_fires_realise():
    assert _all_realising_calls() == [("campaigns/services/spending.py", "approve_spending")]


def test_the_scan_sees_a_second_path(tmp_path):
    """The scan is only worth something if it finds the old shape of a second path."""
    old = tmp_path / "initiatives.py"
    old.write_text(
        "def mark_realised(*, campaign, user):\n"
        "    fire(campaign, 'realise', action=Action.CAMPAIGN_REALISED, actor=user)\n"
        "def by_hand(campaign):\n"
        "    campaign.realise()\n"
        "def in_bulk(ids):\n"
        "    Campaign.objects.filter(pk__in=ids).update(status=Campaign.Status.REALISED)\n"
    )
    found = [name for name, _line in _realising_calls(old)]
    assert found == ["mark_realised", "by_hand", "in_bulk"]


def test_the_older_service_is_gone():
    assert not hasattr(services, "mark_realised")
