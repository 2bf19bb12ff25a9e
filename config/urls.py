from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from campaigns.views.webhook import stripe_webhook
from cms import views as cms_views

# Every login form is allauth's (its rate limits, its two-factor step); the admins' own
# login views only pass ?next= on to it.
to_login = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("django-admin/login/", to_login),
    path("django-admin/", admin.site.urls),
    path("admin/login/", to_login),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", cms_views.health, name="health"),
    path("favicon.ico", cms_views.favicon),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
]

if settings.DEBUG or settings.WIJKKAPITAAL.get("SERVE_MEDIA"):
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("initiatives/", include("campaigns.urls")),
    path("donations/", include("campaigns.payment_urls")),
    path("programmes/", include("campaigns.fund_urls")),
    path("tasks/", include("tasks.urls")),
    path("organisations/", include("accounts.urls")),
    path("my-account/", include("accounts.privacy_urls")),
    path("e-mail/", include("notifications.urls")),
    path("report/", include("core.urls")),
    path("open-data/", include("tasks.capital.urls")),
    # Wagtail's page view, after its /_util/ password view for restricted pages.
    path("_util/login/", to_login),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "cms.views.page_not_found"
