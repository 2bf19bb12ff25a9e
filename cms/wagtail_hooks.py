from django.urls import path
from wagtail import hooks

from cms.translation_admin import GuardedSubmitPageTranslationView


@hooks.register("register_admin_urls", order=-1)
def guard_the_translate_action():
    """simple_translation's page URL and name, listed first, so this view answers it."""
    return [
        path(
            "translation/submit/page/<int:page_id>/",
            GuardedSubmitPageTranslationView.as_view(),
            name="submit_page_translation_guarded",
        )
    ]
