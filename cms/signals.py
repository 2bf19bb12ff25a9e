"""Keep the cached list of sites (``cms.routing``) in step with sites and their root pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.routing import forget_sites


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, **kwargs):
    forget_sites()


def _is_site_root(page):
    return Site.objects.filter(root_page_id=page.pk).exists()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, instance, **kwargs):
    if _is_site_root(instance):
        forget_sites()
