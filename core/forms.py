"""Form fields shared by the apps."""

import re
import warnings
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core.money import cents_as_input, format_money, normalise_amount
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


AMOUNT = re.compile(r"^-?\d{1,15}(\.\d+)?$")


class EuroCentsField(forms.Field):
    """An amount shown and typed in euros (``1.234,50``, ``1234.50``), cleaned to cents.

    The initial value (from a model, say) is integer cents; it is shown as euros in the
    language of the request. The bounds are in cents and checked here, so the messages
    name euros and a model's own validators never speak in cents.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 250 or 12,50."),
        "max_decimal_places": _("An amount has at most two decimals (cents)."),
        "negative": _("The amount cannot be negative."),
        "min_value": _("The amount must be at least %(min)s."),
        "max_value": _("The amount can be at most %(max)s."),
    }

    def __init__(self, *, min_cents=0, max_cents=None, **kwargs):
        self.min_cents = min_cents
        self.max_cents = max_cents
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return cents_as_input(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = normalise_amount(str(value))
        if not AMOUNT.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = Decimal(text) * 100
        if amount != amount.to_integral_value():
            raise ValidationError(
                self.error_messages["max_decimal_places"], code="max_decimal_places"
            )
        return int(amount)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0 and (self.min_cents is None or self.min_cents >= 0):
            raise ValidationError(self.error_messages["negative"], code="negative")
        if self.min_cents is not None and value < self.min_cents:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"min": format_money(self.min_cents)},
            )
        if self.max_cents is not None and value > self.max_cents:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"max": format_money(self.max_cents)},
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
