"""Model fields shared by the apps."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.forms import EuroCentsField


class CentsFieldMixin:
    """An amount stored as integer cents that every model form shows and takes in euros.

    Django's admin, Wagtail's page, snippet and viewset forms and inline panels all ask
    the model field for its form field, so they get ``EuroCentsField``, bounded by the
    field's own validators (including the database's integer range).
    """

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
