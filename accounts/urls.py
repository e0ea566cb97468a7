"""Account pages beside the admin: two-factor set-up and password reset by e-mail."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .sites import NewsroomAdminSite

app_name = "accounts"

# Django's admin links to the reset when "admin_password_reset" exists; the e-mail and the
# views find the others by their stock names, outside any namespace.
_admin_look = {
    "site_header": NewsroomAdminSite.site_header,
    "site_title": NewsroomAdminSite.site_title,
}

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
]

password_reset_urlpatterns = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(extra_context=_admin_look),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=_admin_look),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=_admin_look),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=_admin_look),
        name="password_reset_complete",
    ),
]
