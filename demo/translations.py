"""English translations of the platform's own pages, made as the admin's "Translate" does.

Wagtail's ``copy_for_translation`` puts a copy of a Dutch page in the English tree, under
its parent's translation, with the same translation key; the copy then gets its English
text and is published. Cities, neighbourhoods and initiatives are never translated
(``cms.i18n``). Every function is idempotent: an existing translation is returned as is.
"""

from wagtail.models import Locale

ENGLISH = "en"


def ensure_locale(language_code=ENGLISH):
    """The Wagtail locale of a content language (created once)."""
    return Locale.objects.get_or_create(language_code=language_code)[0]


def translate_page(page, *, title, slug=None, language_code=ENGLISH, **fields):
    """Publish ``page``'s translation with these fields, unless it exists already.

    The page's parent must be translated first (the home page before its children).
    """
    locale = ensure_locale(language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.specific.copy_for_translation(locale)
    translated.title = title
    translated.draft_title = title
    if slug:
        translated.slug = slug
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    translated.save_revision().publish()
    return translated


def translate_home(home, *, title, intro, body=None):
    """The English home page: the root of the English tree."""
    fields = {"intro": intro}
    if body is not None:
        fields["body"] = body
    return translate_page(home, title=title, **fields)


def translate_standard_page(page, *, title, body, slug=None, language_code=ENGLISH):
    """A Dutch StandardPage's translation, with its own title, body and (optional) slug.

    Other demo code calls this for the platform's information pages, e.g.
    ``translate_standard_page(how_it_works, title="How it works", body=[...],
    slug="how-it-works")``; ``body`` takes the same block list as the Dutch page.
    """
    return translate_page(page, title=title, slug=slug, body=body, language_code=language_code)
