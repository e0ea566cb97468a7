"""Accounts in the admin: users (with two-factor status and reset), the audit log (superusers
read it, nobody edits it) and the sign-in lockouts (superusers unlock)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.admin.common import CaseInsensitiveSearchMixin

from . import twofactor
from .models import Action, AuditEvent

User = get_user_model()

# A device's secret must never be readable, even by a superuser: the stock device admin shows it.
for model in (TOTPDevice, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CaseInsensitiveSearchMixin, auth_admin.UserAdmin):
    """The stock user admin; its search ignores Cyrillic letter case (authors are picked by
    name in the story form), and superusers reset two-factor sign-in from it."""

    actions = ["reset_two_factor"]
    list_display = [*auth_admin.UserAdmin.list_display, "two_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("totpdevice_set")

    @admin.display(description=_("two-factor sign-in"), boolean=True)
    def two_factor(self, user):
        return any(device.confirmed for device in user.totpdevice_set.all())

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser

    @admin.action(
        description=_("Reset two-factor sign-in of selected users"),
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request, queryset):
        reset = 0
        for user in queryset:
            if twofactor.reset(user):
                reset += 1
                AuditEvent.objects.record(Action.TWO_FACTOR_RESET, actor=request.user, target=user)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d user: they set up the app again at "
                "the next sign-in.",
                "Two-factor sign-in reset for %(count)d users: they set up the app again at "
                "the next sign-in.",
                reset,
            )
            % {"count": reset},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "action",
        "target_type",
        "target_repr",
        "detail",
        "ip_address",
    ]
    list_filter = ["action", "at", "target_type"]
    search_fields = ["actor_name", "target_repr", "detail", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["target_type"]
    actions = None
    list_per_page = 50

    # Read-only, and to superusers only: the log is evidence.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """Failed sign-ins by account and address; removing a row unlocks it (recorded)."""

    actions = ["unlock"]

    @admin.action(description=_("Unlock selected accounts and addresses"), permissions=["delete"])
    def unlock(self, request, queryset):
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(
            request,
            ngettext("Unlocked %(count)d entry.", "Unlocked %(count)d entries.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        self._record_unlock(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_unlock(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_unlock(self, request, attempts):
        for attempt in attempts:
            AuditEvent.objects.record(
                Action.UNLOCKED,
                actor=request.user,
                target=attempt,
                detail=f"{attempt.username or '—'} @ {attempt.ip_address or '—'}",
            )
