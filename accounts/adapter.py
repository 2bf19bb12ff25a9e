"""allauth's e-mails in the platform's own look, name and language.

allauth renders a plain-text body from its templates (``templates/account/email/`` holds
the platform's versions of the shared opening and closing). When a message has no HTML
template of its own, :meth:`AccountAdapter.render_mail` wraps that text in the platform's
HTML layout (``templates/account/email/layout.html``, built on ``email/base.html``), so
every allauth mail (confirm address, reset password, the security notices) looks like the
platform's other mail without a copy of each template. Links keep allauth's absolute URLs,
built from the request, so they point at the address the site was reached on.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.template.loader import render_to_string
from django.utils import translation

SITE_NAME = "Wijkkapitaal"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        context = {**context, "site_name": SITE_NAME}
        super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if getattr(message, "alternatives", None) or message.content_subtype == "html":
            return message
        language = translation.get_language()
        request = context.get("request")
        html = render_to_string(
            "account/email/layout.html",
            {
                "recipient": {"language": language, "name": ""},
                "subject": message.subject,
                "body": message.body,
                "site_url": request.build_absolute_uri("/") if request else "",
            },
        )
        message.attach_alternative(html, "text/html")
        message.extra_headers = {**message.extra_headers, "Content-Language": language}
        return message
