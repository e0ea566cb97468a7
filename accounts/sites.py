"""The newsroom's admin site: Django's, with two-factor sign-in where it is required."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.i18n import JavaScriptCatalog

from . import twofactor
from .forms import AdminLoginForm


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """The admin's script catalogue, with the project's own (``locale/*/djangojs.po``): the
    story body editor's dialogs in Russian."""

    def get_paths(self, packages):
        return [*super().get_paths(packages), *map(str, settings.LOCALE_PATHS)]


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom")
    site_title = _("Newsroom")
    index_title = _("Editorial office")
    login_form = AdminLoginForm

    def i18n_javascript(self, request, extra_context=None):
        return AdminJavaScriptCatalog.as_view(packages=["django.contrib.admin"])(request)

    def has_permission(self, request):
        return super().has_permission(request) and twofactor.satisfied(request.user)

    def login(self, request, extra_context=None):
        """Sign in; an editor who must use a code and has no app yet sets one up first."""
        response = super().login(request, extra_context)
        user = request.user
        if user.is_active and user.is_staff and twofactor.needs_enrolment(user):
            url = reverse("accounts:two_factor")
            next_url = request.POST.get("next") or request.GET.get("next")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
        return response

    def get_urls(self):
        # Signing out needs no permission: Django's admin only lets those who may use it sign
        # out, and an editor stopped at the two-factor set-up must be able to leave.
        return [
            path("logout/", never_cache(self.logout), name="logout")
            if getattr(pattern, "name", None) == "logout"
            else pattern
            for pattern in super().get_urls()
        ]
