"""Keep the cached list of sites (``cms.routing``) in step with sites and their root pages.

The list is dropped right away and again after commit: a request that read the old rows
while the change was being made cannot leave them in the cache.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.routing import forget_sites


def _forget_now_and_after_commit():
    forget_sites()
    transaction.on_commit(forget_sites)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, **kwargs):
    _forget_now_and_after_commit()


@receiver(page_published)
@receiver(page_unpublished)
def root_page_changed(sender, instance, **kwargs):
    if Site.objects.filter(root_page_id=instance.pk).exists():
        _forget_now_and_after_commit()


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    """A move can change a root page's path, also when an ancestor of it moved."""
    _forget_now_and_after_commit()
