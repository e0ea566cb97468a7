"""Setting up two-factor sign-in: scan a secret once, confirm it with a code."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from . import twofactor
from .forms import EnrolForm
from .models import Action, AuditEvent


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse("admin:index")


@never_cache
@staff_member_required
def two_factor(request):
    """The signed-in user's authenticator app: set one up, or see that it is set up.

    A secret is shown while it is being set up and never again: each visit to the set-up page
    makes a new one, and a confirmed app cannot be read back by anybody, superusers included.
    """
    user = request.user
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor sign-in"),
        "is_nav_sidebar_enabled": False,
        "required": twofactor.required_for(user),
        "next": _next_url(request),
    }
    device = twofactor.device_of(user)
    if device is not None:
        return render(request, "accounts/two_factor.html", {**context, "device": device})

    pending = twofactor.pending_device(user) if request.method == "POST" else None
    if pending is None:
        pending = twofactor.new_device(user)
        form = EnrolForm(device=pending)
    else:
        form = EnrolForm(request.POST, device=pending)
        if form.is_valid():
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            AuditEvent.objects.record(Action.TWO_FACTOR_ENROLLED, actor=user, target=user)
            messages.success(request, _("Two-factor sign-in is on. Keep the app on your phone."))
            return redirect(context["next"])
    return render(
        request,
        "accounts/two_factor.html",
        {
            **context,
            "form": form,
            "qr_code": twofactor.qr_code_data_uri(pending),
            "secret": twofactor.secret_text(pending),
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers to a sign-in while the account or the address is locked."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)),
    }
    return render(request, "registration/locked_out.html", context, status=429)
