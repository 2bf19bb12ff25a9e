"""Cover images that survive a form that did not validate.

A valid upload on a form that has errors elsewhere is stored at once as a Wagtail image in
the "Pending uploads" collection, and the form carries a signed token for it in a hidden
field, so the initiator need not choose the file again. The token names the image and the
user, and expires after :data:`PENDING_SECONDS`; the image must also have been uploaded by
that user and still be pending, so nobody else can attach it to a page. Saving the
initiative moves the image into the root collection; a daily job deletes pending images
that were never used.
"""

from datetime import timedelta

from django.core import signing
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex

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
