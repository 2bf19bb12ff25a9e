"""The base of the app's models that carry a declared state machine."""

from django.db import models
from django_fsm import FSMModelMixin


class StateMachineModel(FSMModelMixin, models.Model):
    """A model whose protected ``status`` moves only through its declared transitions.

    ``full_clean`` leaves ``status`` alone: cleaning a field assigns it again, which a
    protected field refuses, and a transition can only reach a declared state anyway.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude={*(exclude or ()), "status"})
