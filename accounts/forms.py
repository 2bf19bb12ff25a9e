from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import KVK_NUMBER_TAKEN, Organisation, normalise_kvk_number
from core.forms import TOO_LONG, ImageUploadField, SingleLineCharField


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = SingleLineCharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown on initiatives you start or support."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "nl")[:2]
        user.save(update_fields=["display_name", "preferred_language"])


class OrganisationForm(forms.ModelForm):
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=20,
        required=False,
        help_text=_("Optional: 8 digits. A moderator checks it before it shows as verified."),
    )
    logo_upload = ImageUploadField(label=_("Logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["kind", "name", "kvk_number", "address", "neighbourhood", "description"]
        field_classes = {"name": SingleLineCharField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"kvk_number": _("Optional: 8 digits.")}
        error_messages = {"description": {"max_length": TOO_LONG}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        neighbourhoods = self.fields["neighbourhood"].queryset
        self.fields["neighbourhood"].queryset = neighbourhoods.live().order_by("title")

    def clean_kvk_number(self):
        """Digits only; a number another organisation holds is refused here, on the field."""
        number = normalise_kvk_number(self.cleaned_data.get("kvk_number"))
        taken = Organisation.objects.filter(kvk_number=number).exclude(pk=self.instance.pk)
        if number and taken.exists():
            raise forms.ValidationError(KVK_NUMBER_TAKEN, code="unique")
        return number


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
