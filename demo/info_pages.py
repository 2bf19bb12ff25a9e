"""The demo's information pages in Dutch and English, and the footer that links to them."""

from wagtail.models import Site

from cms.models import ContactPage, OrganisationIndexPage, PlatformSettings, StandardPage
from demo import info_content, translations
from demo.info_content import in_language

LANGUAGE = "nl"
FORM_PAGES = (
    (ContactPage, info_content.CONTACT),
    (OrganisationIndexPage, info_content.ORGANISATIONS),
)
PAGE_FIELDS = ("intro", "thank_you_text")


def ensure_info_pages(home, ensure_child):
    """Create the pages under ``home`` (unless there) and put them in the footer.

    ``ensure_child(parent, model, slug, **fields)`` finds a page by its slug or publishes a
    new one. Each page then gets its English translation (``home``'s must exist already);
    the footer names the Dutch pages and shows each one's translation under ``/en/``.
    """
    pages = {}
    for data in info_content.STANDARD_PAGES:
        text = in_language(data, LANGUAGE)
        pages[data["key"]] = ensure_child(
            home,
            StandardPage,
            text["slug"],
            title=text["title"],
            search_description=text["search_description"],
            body=text["body"],
        )
    for model, data in FORM_PAGES:
        text = in_language(data, LANGUAGE)
        fields = {key: text[key] for key in PAGE_FIELDS if key in text}
        pages[data["key"]] = ensure_child(
            home,
            model,
            text["slug"],
            title=text["title"],
            search_description=text["search_description"],
            **fields,
        )
    translate_info_pages(pages)
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    if not platform.footer_links:
        platform.footer_links = [
            ("link", {"page": pages[key], "label": ""}) for key in info_content.FOOTER_LINKS
        ]
        platform.save()
    return pages


def translate_info_pages(pages, language=translations.ENGLISH):
    """Each Dutch page's translation, with the English text of ``info_content``."""
    translated = {}
    for data in (*info_content.STANDARD_PAGES, *(data for _model, data in FORM_PAGES)):
        text = in_language(data, language)
        fields = {key: text[key] for key in ("body", *PAGE_FIELDS) if key in text}
        translated[data["key"]] = translations.translate_page(
            pages[data["key"]],
            title=text["title"],
            slug=text["slug"],
            language_code=language,
            search_description=text["search_description"],
            **fields,
        )
    return translated
