"""The admin's "Translate" (``wagtail.contrib.simple_translation``) for Dutch-only pages.

simple_translation offers "Translate" on every page type and has no setting or hook to
leave some out. Cities, neighbourhoods and initiatives must never be copied into the
English tree: their running state (campaigns, pledges, tasks) hangs off the page's id, and
they are shown under ``/en/`` as they are (``cms.i18n``). ``cms.wagtail_hooks`` serves
this view at simple_translation's own URL, ahead of it, so every "Translate" button and
link reaches it; it refuses those pages, and a subtree that holds one, with a message,
and otherwise is simple_translation's view unchanged.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.contrib.simple_translation.views import SubmitPageTranslationView

from cms.i18n import translation_refused


def page_refused_message():
    return _(
        "Cities, neighbourhoods and initiatives are not translated: their donations and "
        "tasks belong to the one Dutch page, which the English site shows as it is."
    )


def subtree_refused_message():
    return _(
        "The pages below this one include cities, neighbourhoods or initiatives, which are "
        "not translated. Translate this page without its subtree."
    )


class GuardedSubmitPageTranslationView(SubmitPageTranslationView):
    def get(self, request, *args, **kwargs):
        if translation_refused(self.object):
            return self.refuse(page_refused_message())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if translation_refused(self.object):
            return self.refuse(page_refused_message())
        form = self.get_form()
        if form.is_valid() and translation_refused(
            self.object, include_subtree=form.cleaned_data["include_subtree"]
        ):
            form.add_error("include_subtree", subtree_refused_message())
            context = self.get_context_data(**kwargs)
            context["form"] = form
            return self.render_to_response(context, status=400)
        return super().post(request, *args, **kwargs)

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect(reverse("wagtailadmin_pages:edit", args=[self.object.pk]))
