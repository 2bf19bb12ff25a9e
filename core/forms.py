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
