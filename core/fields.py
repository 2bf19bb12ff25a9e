"""Model fields shared by the apps."""

from functools import partialmethod

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.forms import EuroCentsField
from core.money import format_money


def _euro_display(instance, field):
    cents = getattr(instance, field.attname)
    if cents is None:
        return ""
    return format_money(cents, getattr(instance, "currency", None) or "EUR")


class CentsFieldMixin:
    """An amount stored as integer cents that every model form shows and takes in euros.

    Django's admin, Wagtail's page, snippet and viewset forms and inline panels all ask
    the model field for its form field, so they get ``EuroCentsField``, bounded by the
    field's own validators (including the database's integer range). The model gets a
    ``get_<name>_display()`` in euros too, which Wagtail's inspect view shows.
    """

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        display = f"get_{self.name}_display"
        if display not in cls.__dict__:
            setattr(cls, display, partialmethod(_euro_display, field=self))

    def formfield(self, **kwargs):
        lower = [v.limit_value for v in self.validators if isinstance(v, MinValueValidator)]
        upper = [v.limit_value for v in self.validators if isinstance(v, MaxValueValidator)]
        defaults = {
            "form_class": EuroCentsField,
            "min_cents": max([0, *(v for v in lower if isinstance(v, int))]),
            "max_cents": min((v for v in upper if isinstance(v, int)), default=None),
        }
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        return models.Field.formfield(self, **{**defaults, **kwargs})


class CentsField(CentsFieldMixin, models.PositiveIntegerField):
    pass


class BigCentsField(CentsFieldMixin, models.BigIntegerField):
    pass
