"""Cover images that survive a form that did not validate.

A valid upload on a form that has errors elsewhere is stored at once as a Wagtail image in
the "Pending uploads" collection, and the form carries a signed token for it in a hidden
field, so the initiator need not choose the file again. The token names the image and the
user, and expires after :data:`PENDING_SECONDS`; the image must also have been uploaded by
that user and still be pending, so nobody else can attach it to a page. Saving the
initiative moves the image into the root collection; a daily job deletes pending images
that were never used.

:class:`CoverForm` holds the two fields and this logic. The initiative form is built on
it, and the "add a line" step validates it alone: the picture is kept while the rest of
the form is shown as typed, not judged yet.
"""

from datetime import timedelta

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex

from core.forms import ImageUploadField

PENDING_COLLECTION = "Pending uploads"
PENDING_SECONDS = 24 * 60 * 60
SALT = "campaigns.cover-upload"


def pending_collection():
    """The collection of uploads not yet attached to a page, created the first time."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=PENDING_COLLECTION).first()
    return existing or root.add_child(name=PENDING_COLLECTION)


def stash_cover(upload, *, user, title):
    """Store a valid upload as a pending image of ``user``; returns the image."""
    upload.seek(0)
    return get_image_model().objects.create(
        title=title[:255] or upload.name,
        file=upload,
        uploaded_by_user=user,
        collection=pending_collection(),
    )


def cover_token(image, user):
    return signing.dumps({"image": image.pk, "user": user.pk}, salt=SALT)


def pending_cover(token, user):
    """The pending image a token names, if it is ``user``'s and still pending; else None."""
    if not token or not getattr(user, "pk", None):
        return None
    try:
        claim = signing.loads(token, salt=SALT, max_age=PENDING_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(claim, dict) or claim.get("user") != user.pk:
        return None
    return (
        get_image_model()
        .objects.filter(
            pk=claim.get("image"),
            uploaded_by_user=user,
            collection__name=PENDING_COLLECTION,
        )
        .first()
    )


def adopt_cover(image):
    """The image is used now: out of the pending collection, so the cleanup leaves it."""
    image.collection = Collection.get_first_root_node()
    image.save(update_fields=["collection"])
    return image


def delete_stale_pending_covers(now=None):
    """Delete pending images older than the token's lifetime that nothing refers to."""
    cutoff = (now or timezone.now()) - timedelta(seconds=PENDING_SECONDS)
    deleted = 0
    stale = get_image_model().objects.filter(
        collection__name=PENDING_COLLECTION, created_at__lt=cutoff
    )
    for image in stale.iterator():
        if ReferenceIndex.get_references_to(image).exists():
            continue
        image.delete()
        deleted += 1
    return deleted


class CoverForm(forms.Form):
    """The cover image: a new upload, or the token of one kept from an earlier try.

    The initiative form is built on it. The "add a line" step validates only this part,
    so a chosen picture is kept (cover_uploads) without judging the rest of the form.
    """

    cover_image = ImageUploadField(
        label=_("Cover image"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP picture of at most 10 MB."),
    )
    # A signed token for an image uploaded with an earlier try of this form (cover_uploads).
    cover_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, require_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pending_cover = None
        self.require_image = require_image

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover_image"):
            return cleaned
        token = cleaned.get("cover_token")
        if token:
            self.pending_cover = pending_cover(token, self.user)
            if self.pending_cover is None:
                self.add_error(
                    "cover_image",
                    _("The picture you chose earlier is no longer available. Choose it again."),
                )
        elif self.require_image and "cover_image" not in self.errors:
            self.add_error("cover_image", _("Choose a cover image."))
        return cleaned

    def keep_cover(self, title=""):
        """After a try that is not saved, keep a valid upload for the next one.

        Call after validation. The upload is stored as a pending image of the user (named
        after the cleaned title, else ``title``), whose token :meth:`kept_cover_token`
        gives for the redisplayed form; a cover already pending stays. Returns the
        pending image, or None.
        """
        cleaned = getattr(self, "cleaned_data", {})
        upload = cleaned.get("cover_image")
        if upload and self.user is not None:
            title = cleaned.get("title") or (title or "").strip() or upload.name
            self.pending_cover = stash_cover(upload, user=self.user, title=title)
        return self.pending_cover

    def kept_cover_token(self):
        """The token the redisplayed form carries: the kept picture's, else the one sent."""
        if self.pending_cover is not None:
            return cover_token(self.pending_cover, self.user)
        return self["cover_token"].data or ""
