"""The demo's information pages in Dutch, and the footer that links to them."""

from wagtail.models import Site

from cms.models import ContactPage, OrganisationIndexPage, PlatformSettings, StandardPage
from demo import info_content
from demo.info_content import in_language

LANGUAGE = "nl"


def ensure_info_pages(home, ensure_child):
    """Create the pages under ``home`` (unless there) and put them in the footer.

    ``ensure_child(parent, model, slug, **fields)`` finds a page by its slug or publishes a
    new one.
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
    for model, data in (
        (ContactPage, info_content.CONTACT),
        (OrganisationIndexPage, info_content.ORGANISATIONS),
    ):
        text = in_language(data, LANGUAGE)
        fields = {key: text[key] for key in ("intro", "thank_you_text") if key in text}
        pages[data["key"]] = ensure_child(
            home,
            model,
            text["slug"],
            title=text["title"],
            search_description=text["search_description"],
            **fields,
        )
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    if not platform.footer_links:
        platform.footer_links = [
            ("link", {"page": pages[key], "label": ""}) for key in info_content.FOOTER_LINKS
        ]
        platform.save()
    return pages
