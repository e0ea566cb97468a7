from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    default = True
    verbose_name = _("Accounts and security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)


# Imported as a module: an AppConfig class among this module's names would be a second default.
class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the newsroom's sign-in: lockout, two-factor codes."""

    default = False
    default_site = "accounts.sites.NewsroomAdminSite"
