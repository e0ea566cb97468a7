"""The admin's sign-in form (password, then the code of an authenticator app when the account
has one) and the form that sets an app up."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from . import twofactor

CODE_WIDGET = forms.TextInput(
    attrs={
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "pattern": "[0-9 ]*",
        "maxlength": "8",
        "spellcheck": "false",
    }
)


def _code(value):
    return "".join((value or "").split())


class AdminLoginForm(AdminAuthenticationForm):
    """Django's admin sign-in, plus the six-digit code for accounts with two-factor sign-in.

    A wrong code counts as a failed sign-in (django-axes locks the account and the address after
    too many), as a wrong password does; django-otp slows down guessing on the device as well.
    """

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        widget=CODE_WIDGET,
        help_text=_("Six digits, if you have set up two-factor sign-in."),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": _("Enter the code from your authenticator app."),
        "code_invalid": _("This code is not right or has already been used. Enter the new one."),
        "code_throttled": _("Too many wrong codes. Wait a few seconds and enter the new code."),
    }

    def clean_username(self):
        # Django sets the field's max_length after building it, so its validator never runs: an
        # over-long name would reach authentication and the lockout records (a 500 on
        # PostgreSQL). No account has such a name.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        device = twofactor.device_of(user)
        if device is None:
            return cleaned
        code = _code(cleaned.get("otp_token"))
        if not code:
            self._fail("code_required")
        # django-otp makes each wrong code double the wait before the next one is checked.
        if not device.verify_is_allowed()[0]:
            self._fail("code_throttled")
        if not device.verify_token(code):
            self._fail("code_invalid")
        # django-otp marks the session as verified when the user signs in with this attribute.
        user.otp_device = device
        return cleaned

    def _fail(self, code):
        username = self.cleaned_data.get("username")
        self.user_cache = None
        user_login_failed.send(
            sender=__name__,
            credentials={"username": username},
            request=self.request,
            reason="two-factor code",
        )
        raise forms.ValidationError(self.error_messages[code], code=code)


class EnrolForm(forms.Form):
    """The first code of a newly scanned secret: proof that the app holds it."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"), widget=CODE_WIDGET, max_length=12
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        code = _code(self.cleaned_data["otp_token"])
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                AdminLoginForm.error_messages["code_throttled"], code="code_throttled"
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("This code is not right. Check the time on your phone and enter the new code."),
                code="code_invalid",
            )
        return code
