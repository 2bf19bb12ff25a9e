"""The contact form: what a visitor sends the moderators."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import LimitedTextField, SingleLineCharField


class ContactForm(forms.Form):
    """Name, address, subject and message; ``website`` is a trap for robots.

    Wagtail's form page passes ``page`` and ``user``; this form needs neither.
    """

    name = SingleLineCharField(
        label=_("Your name"),
        max_length=limits.CONTACT_NAME,
        error_messages={"required": _("Tell us your name, so that we know whom to answer.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We only use it to answer you."),
        error_messages={
            "required": _("Enter your e-mail address, so that we can answer you."),
            "invalid": _("Enter a valid e-mail address, such as name@example.nl."),
        },
    )
    subject = SingleLineCharField(
        label=_("Subject"),
        max_length=limits.CONTACT_SUBJECT,
        error_messages={"required": _("Give your message a subject in a few words.")},
    )
    message = LimitedTextField(
        label=_("Your message"),
        max_length=limits.CONTACT_MESSAGE,
        rows=8,
        error_messages={"required": _("Write your message; it is empty now.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    STORED_FIELDS = ("name", "email", "subject", "message")

    def __init__(self, *args, page=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["email"].initial = user.email
            self.fields["name"].initial = user.public_name

    @classmethod
    def data_fields(cls):
        """(name, label) of what a submission stores, for the admin's listing."""
        fields = cls.base_fields
        return [(name, fields[name].label) for name in cls.STORED_FIELDS] + [
            ("language", _("Language"))
        ]

    @property
    def is_trap(self):
        """A robot filled in the field people never see."""
        return bool(self.cleaned_data.get("website"))

    def stored_data(self):
        data = {name: self.cleaned_data[name] for name in self.STORED_FIELDS}
        data["language"] = translation.get_language() or ""
        return data

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]
