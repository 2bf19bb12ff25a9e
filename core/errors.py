from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A refused state change; ``str(error)`` is a message fit for the person who asked."""

    default_message = _("This action is not possible right now.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))
