"""What a long form says back: an error summary that links to each field, and the
"add a line" step that works without JavaScript.
"""

from dataclasses import dataclass

from django.forms.utils import ErrorDict


@dataclass(frozen=True)
class SummaryItem:
    label: str
    message: str
    target: str  # the id of the element the link moves to ("" when there is none)


def _field_target(field):
    """The id of a field's first control: a radio list has no control with its own id."""
    return field.id_for_label or f"{field.auto_id}_0"


def _form_items(form, prefix=""):
    items = [SummaryItem(prefix, str(error), "") for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            label = f"{prefix} {field.label}".strip() if not field.is_hidden else prefix
            items.append(SummaryItem(label, str(error), _field_target(field)))
    return items


def error_summary(form, formsets=()):
    """Every error of ``form`` and of ``formsets``, in page order, with a link target.

    ``formsets`` holds ``(formset, anchor_id, row_label)``: the formset's own errors link
    to ``anchor_id`` (its fieldset), a row's errors are labelled "<row_label> 2: Amount".
    """
    items = _form_items(form)
    for formset, anchor_id, row_label in formsets:
        items += [SummaryItem(row_label, str(e), anchor_id) for e in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            items += _form_items(row, prefix=f"{row_label} {number}:")
    return items


def with_extra_row(data, prefix, max_num):
    """A copy of posted ``data`` with one more form in the formset ``prefix`` (up to max)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, max_num))
    return data


def hide_errors(*forms_and_formsets):
    """Show what was typed without judging it yet (the "add a line" step).

    Validation runs first, so cleaned data (a kept upload, say) is there; then the errors
    are set aside, so fields the person has not reached yet are not marked.
    """
    for item in forms_and_formsets:
        if hasattr(item, "management_form"):
            item.full_clean()
            for row in item.forms:
                row._errors = ErrorDict()
            item._errors = [ErrorDict() for _row in item.forms]
            item._non_form_errors = item.error_class(error_class="nonform")
        else:
            item.errors  # noqa: B018 - runs the validation once
            item._errors = ErrorDict()
