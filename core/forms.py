"""Form fields shared by the apps."""

import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core.text import single_line


def image_pixel_limit():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


class ImageUploadField(forms.ImageField):
    """An image upload with clear messages for files too large in bytes or in pixels.

    The pixel count is read from the file's header only (Pillow opens lazily), so an
    image that would take gigabytes of memory once decoded is refused without decoding it.
    """

    default_error_messages = {
        "invalid_image": _(
            "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture."
        ),
        # Django's own texts talk about encoding types and submitted forms.
        "invalid": _("The picture did not arrive. Choose it again."),
        "missing": _("The picture did not arrive. Choose it again."),
        "empty": _("This file is empty. Choose another picture."),
        "max_length": _("The file name is too long. Rename the file and choose it again."),
        "contradiction": _("Either choose a new picture or remove the current one, not both."),
    }

    def clean(self, data, initial=None):
        limit = settings.WIJKKAPITAAL["MAX_COVER_IMAGE_BYTES"]
        if data and getattr(data, "size", 0) > limit:
            raise ValidationError(
                _("The image is larger than %(size)s MB. Choose a smaller picture.")
                % {"size": limit // (1024 * 1024)},
                code="file_too_large",
            )
        if data and hasattr(data, "read"):
            self._check_pixels(data)
        return super().clean(data, initial)

    def _check_pixels(self, data):
        limit = image_pixel_limit()
        position = data.tell()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(data) as image:
                    width, height = image.size
        except Image.DecompressionBombError:
            width = height = None
        except Exception:  # not an image: the ImageField's own check says so
            return
        finally:
            data.seek(position)
        if width is None or width * height > limit:
            raise ValidationError(
                _(
                    "The image has more than %(megapixels)s megapixels. Choose a smaller "
                    "picture, or save it at a lower resolution."
                )
                % {"megapixels": limit // 1_000_000},
                code="too_many_pixels",
            )


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


class SingleLineCharField(LimitedTextField):
    """A one-line text (a title, a name): line breaks typed or pasted become spaces."""

    def to_python(self, value):
        return single_line(super().to_python(value))
