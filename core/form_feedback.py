"""What a long form says back: an error summary that links to each field, and the
"add a line" step that works without JavaScript.
"""

from dataclasses import dataclass

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates


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


class UnjudgedBoundField(BoundField):
    """A field shown with what was typed, not judged yet (the "add a line" step).

    It reports no errors, so rendering the bound form neither validates it nor marks a
    field the person has not reached yet: no error text, no ``aria-invalid``. Forms get it
    through :data:`UNJUDGED_RENDERER`.
    """

    @property
    def errors(self):
        return self.form.error_class(renderer=self.form.renderer)


class UnjudgedRenderer(DjangoTemplates):
    """Django's default form renderer (the project sets no ``FORM_RENDERER``), whose forms
    use :class:`UnjudgedBoundField` (``BaseRenderer.bound_field_class``, Django 5.2).

    Given as ``renderer`` to a form (or in a formset's ``form_kwargs``) it reaches model
    forms too, which take no ``bound_field_class`` argument of their own.
    """

    bound_field_class = UnjudgedBoundField


UNJUDGED_RENDERER = UnjudgedRenderer()
