from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, NotificationRetry, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name", "preferred_language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "neighbourhood"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(NotificationRetry)
class NotificationRetryAdmin(admin.ModelAdmin):
    """Handlers that failed after commit; rows at MAX_ATTEMPTS are no longer retried."""

    list_display = ["event", "ids", "attempts", "next_attempt_at", "updated_at"]
    list_filter = ["event"]
    readonly_fields = ["event", "handler", "ids", "attempts", "last_error", "created_at"]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry now, with ten fresh attempts"))
    def retry_now(self, request, queryset):
        queryset.update(attempts=1, next_attempt_at=timezone.now())
