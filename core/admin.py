from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.events import enqueue_delivery
from core.models import Announcement


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("pending")), ("dead", _("dead")), ("delivered", _("delivered"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(delivered_at__isnull=True, dead_at__isnull=True)
        if self.value() == "dead":
            return queryset.filter(dead_at__isnull=False)
        if self.value() == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """The outbox. Dead rows (``MAX_ATTEMPTS`` failures) wait here for "deliver again"."""

    list_display = ["name", "payload", "state", "attempts", "created_at", "next_attempt_at"]
    list_filter = [StateFilter, "name"]
    readonly_fields = [
        "name",
        "payload",
        "created_at",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "dead_at",
        "last_error",
    ]
    actions = ["deliver_again"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Deliver again, with ten fresh attempts"))
    def deliver_again(self, request, queryset):
        ids = list(queryset.filter(delivered_at__isnull=True).values_list("pk", flat=True))
        outbox.deliver_again(Announcement.objects.filter(pk__in=ids))
        for announcement_id in ids:
            enqueue_delivery(announcement_id)
        self.message_user(request, _("%(count)s announcements queued again.") % {"count": len(ids)})
