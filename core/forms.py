"""Form fields shared by the apps."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ImageUploadField(forms.ImageField):
    """An image upload that refuses files above ``MAX_COVER_IMAGE_BYTES`` with a clear message."""

    default_error_messages = {
        "invalid_image": _(
            "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture."
        ),
    }

    def clean(self, data, initial=None):
        limit = settings.WIJKKAPITAAL["MAX_COVER_IMAGE_BYTES"]
        if data and getattr(data, "size", 0) > limit:
            raise ValidationError(
                _("The image is larger than %(size)s MB. Choose a smaller picture.")
                % {"size": limit // (1024 * 1024)},
                code="file_too_large",
            )
        return super().clean(data, initial)


TOO_LONG = _(
    "This text is %(show_value)s characters long; the limit is %(limit_value)s. "
    "Shorten it and send it again: what you wrote is still here."
)


class LimitedTextField(forms.CharField):
    """A free-text field with a limit (``core.limits``) and a message that names it.

    Surrounding whitespace is stripped first, so a text of only spaces counts as empty
    (and is refused when the field is required). The browser gets ``maxlength`` too.
    """

    def __init__(self, *, max_length, rows=None, **kwargs):
        messages = {"max_length": TOO_LONG, **kwargs.pop("error_messages", {})}
        if rows is not None:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, error_messages=messages, **kwargs)
