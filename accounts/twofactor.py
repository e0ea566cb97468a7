"""Two-factor sign-in with time-based codes (django-otp's TOTP devices): who must use it, and
setting up an authenticator app."""

import base64
import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models.workflow import is_editor

MISSING = object()


def required_for(user):
    """Superusers and editors must sign in with a code when REQUIRE_2FA is on."""
    return settings.REQUIRE_2FA and user.is_authenticated and (user.is_superuser or is_editor(user))


def device_of(user):
    """The user's authenticator app, once set up (confirmed with a code); looked up once per
    request (the admin asks several times)."""
    device = getattr(user, "_confirmed_device", MISSING)
    if device is MISSING:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        user._confirmed_device = device
    return device


def is_verified(user):
    """Whether this session was opened with a code (django-otp's middleware tells)."""
    return getattr(user, "is_verified", lambda: False)()


def satisfied(user):
    """Whether the session may use the admin as far as two-factor sign-in is concerned.

    Accounts with an app sign in with a code anyway (the sign-in form asks for it); this only
    stops those who must have one and signed in without it."""
    return is_verified(user) or not required_for(user)


def needs_enrolment(user):
    return required_for(user) and device_of(user) is None


def new_device(user):
    """A fresh secret for ``user`` to scan; the unconfirmed ones before it stop working."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    user._confirmed_device = MISSING
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def pending_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def reset(user):
    """Remove the user's authenticator apps: they set one up again at the next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    user._confirmed_device = MISSING
    return deleted


def secret_text(device):
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device):
    """The otpauth:// address of ``device`` as an SVG QR code, for an <img> (no inline SVG)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
