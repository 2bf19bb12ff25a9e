from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError

__all__ = ["ServiceError", "TransitionNotAllowed", "CampaignClosed", "PaymentProviderUnavailable"]


class TransitionNotAllowed(ServiceError):
    """An object cannot move from its current status with the requested transition."""


class CampaignClosed(ServiceError):
    default_message = _("This initiative is not accepting donations right now.")


class PaymentProviderUnavailable(ServiceError):
    default_message = _(
        "The payment provider cannot be reached. Your donation is saved; please try again."
    )


class AmountNotAllowed(ServiceError):
    """The amount is outside what one donation may be (minimum and maximum)."""

    default_message = _("This amount cannot be donated.")


class PledgeNotRefundable(ServiceError):
    """Only a paid pledge can be refunded."""

    default_message = _("Only a paid donation can be refunded.")
