"""Signing in to the admin: lockout after failed attempts (per account and per address, behind
proxies), two-factor codes, idle sessions, password change and reset, and the security log."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "вёрстка-в-полночь-2024"
User = get_user_model()


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def editor(editor_user):
    editor_user.set_password(PASSWORD)
    editor_user.save()
    return editor_user


@pytest.fixture
def reporter_with_password(reporter):
    reporter.set_password(PASSWORD)
    reporter.save()
    return reporter


@pytest.fixture
def boss(db):
    return User.objects.create_superuser("boss", "boss@example.kz", PASSWORD)


def sign_in(client, username, password=PASSWORD, code="", ip="203.0.113.5", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": code, "next": "/admin/"},
        REMOTE_ADDR=ip,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def code_for(device, at=None):
    """The code the user's app shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Lockout


def test_account_is_locked_after_repeated_failures_with_a_clear_message(client, editor):
    assert sign_in(client, "redaktor", "wrong").status_code == 200
    assert sign_in(client, "redaktor", "wrong").status_code == 200
    assert sign_in(client, "redaktor", "wrong").status_code == 429

    response = sign_in(client, "redaktor")  # even the right password

    assert response.status_code == 429
    html = response.content.decode()
    assert "Вход заблокирован" in html
    assert "Было 3 неудачные попытки входа" in html
    assert "15 минут" in html
    assert not signed_in(response)


def test_lockout_follows_the_account_to_other_addresses(client, editor):
    for n in range(3):
        sign_in(client, "redaktor", "wrong", ip=f"198.51.100.{n}")

    assert sign_in(client, "redaktor", ip="192.0.2.77").status_code == 429


def test_lockout_follows_the_address_to_other_accounts(client, editor, reporter_with_password):
    for name in ("aigerim", "daniyar", "olga"):
        sign_in(client, name, "guess", ip="198.51.100.9")

    assert sign_in(client, "korr", ip="198.51.100.9").status_code == 429
    assert signed_in(sign_in(client, "korr", ip="198.51.100.10"))


def test_lock_ends_after_the_cool_off(client, editor):
    for _ in range(3):
        sign_in(client, "redaktor", "wrong")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert signed_in(sign_in(client, "redaktor"))


def test_success_before_the_limit_forgets_the_failures(client, editor):
    sign_in(client, "redaktor", "wrong")
    sign_in(client, "redaktor", "wrong")
    assert signed_in(sign_in(client, "redaktor"))
    client.logout()

    sign_in(client, "redaktor", "wrong")
    assert signed_in(sign_in(client, "redaktor"))


def test_superuser_unlocks_from_the_admin(client, editor, boss):
    for _ in range(3):
        sign_in(client, "redaktor", "wrong")
    admin = type(client)()
    admin.force_login(boss)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))

    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": attempts},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in(client, "redaktor"))
    event = AuditEvent.objects.filter(action=Action.UNLOCKED).get()
    assert event.actor == boss
    assert "redaktor" in event.detail


def test_editors_cannot_unlock(client, editor_user):
    AccessAttempt.objects.create(
        username="x", ip_address="198.51.100.1", failures_since_start=9, user_agent="",
        http_accept="", path_info="/admin/login/", get_data="", post_data="",
    )  # fmt: skip
    client.force_login(editor_user)

    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [AccessAttempt.objects.get().pk]},
    )

    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


def test_forwarded_address_is_ignored_without_trusted_proxies(client, editor):
    for n in range(3):
        sign_in(client, f"user{n}", "wrong", ip="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    # Claiming another address in a header does not get a locked-out address in.
    assert (
        sign_in(client, "redaktor", ip="198.51.100.9", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code
        == 429
    )


def test_client_address_behind_a_trusted_proxy(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for name in ("a", "b", "c"):
        # The client wrote the first address itself; the proxy appended the real one.
        sign_in(
            client, name, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.{ord(name)}, 198.51.100.9"
        )

    assert (
        sign_in(client, "redaktor", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code
        == 429
    )
    assert signed_in(sign_in(client, "redaktor", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.10"))
    failed = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).first()
    assert failed.ip_address == "198.51.100.9"


def test_two_trusted_proxies_take_the_second_address_from_the_right(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 2

    sign_in(
        client, "redaktor", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.1"
    )

    assert AuditEvent.objects.get(action=Action.SIGNED_IN).ip_address == "198.51.100.4"


def test_garbage_in_the_forwarded_header_falls_back_to_the_connection(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = sign_in(client, "redaktor", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, ")

    assert signed_in(response)
    assert AuditEvent.objects.get(action=Action.SIGNED_IN).ip_address == "10.0.0.2"


# Security log


def test_sign_ins_and_failures_are_logged_with_the_address(client, editor, caplog):
    caplog.set_level("INFO", logger="newsroom.security")

    sign_in(client, "redaktor", "wrong", ip="198.51.100.7")
    sign_in(client, "redaktor", ip="198.51.100.7")

    assert "failed sign-in: 'redaktor' from 198.51.100.7 (password)" in caplog.text
    assert "sign-in: redaktor from 198.51.100.7" in caplog.text
    assert PASSWORD not in caplog.text
    sign_ins = AuditEvent.objects.filter(action__in=[Action.SIGNED_IN, Action.SIGN_IN_FAILED])
    events = list(sign_ins.order_by("pk").values_list("action", "actor_name", "ip_address"))
    assert events == [
        (Action.SIGN_IN_FAILED, "redaktor", "198.51.100.7"),
        (Action.SIGNED_IN, "redaktor", "198.51.100.7"),
    ]


def test_lockouts_are_logged(client, editor, caplog):
    for _ in range(4):
        sign_in(client, "redaktor", "wrong", ip="198.51.100.7")

    assert "locked out: 'redaktor' from 198.51.100.7" in caplog.text
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT, actor_name="redaktor").exists()


@pytest.mark.parametrize("name", ["x" * 5000, "redaktor\x00", "", " "])
def test_impossible_user_names_get_a_form_error(client, db, name):
    response = sign_in(client, name, "wrong")

    assert response.status_code == 200
    assert (
        'class="errornote"' in response.content.decode() or "errorlist" in response.content.decode()
    )


def test_hostile_headers_are_recorded_without_error(client, editor):
    response = sign_in(client, "redaktor", "wrong", HTTP_USER_AGENT="Ж" * 5000)

    assert response.status_code == 200
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_hostile_user_names_are_recorded_and_shown_escaped(client, admin_client, caplog):
    sign_in(client, "<img src=x onerror=alert(1)>", "wrong")

    html = admin_client.get("/admin/accounts/auditevent/").content.decode()

    assert (
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).get().actor_name.startswith("<img")
    )
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# Two-factor sign-in


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def test_editor_without_an_app_is_sent_to_set_one_up(client, editor, require_2fa):
    response = sign_in(client, "redaktor")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/two-factor/")
    assert client.get("/admin/").status_code == 302  # the admin stays closed until then
    page = client.get("/admin/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert re.search(r'<code class="two-factor-secret">[A-Z2-7 ]{32,}</code>', html)
    assert "Двухфакторный вход" in html


def test_setting_up_the_app_takes_a_code_from_it(client, editor, require_2fa):
    sign_in(client, "redaktor")
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post("/admin/two-factor/", {"otp_token": "000000"})
    assert wrong.status_code == 200
    assert "Код неверный" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        response = client.post(
            "/admin/two-factor/", {"otp_token": code_for(device), "next": "/admin/"}
        )

        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_ENROLLED, actor=editor).exists()


def test_secret_is_not_shown_once_the_app_is_set_up(client, editor, require_2fa):
    device = enrolled(editor)
    sign_in(client, "redaktor", code=code_for(device))

    html = client.get("/admin/two-factor/").content.decode()

    assert "two-factor-secret" not in html and "data:image" not in html
    assert device.key not in html


def test_each_visit_to_the_set_up_page_makes_a_new_secret(client, editor, require_2fa):
    sign_in(client, "redaktor")
    client.get("/admin/two-factor/")
    first = TOTPDevice.objects.get(user=editor).key
    client.get("/admin/two-factor/")

    assert TOTPDevice.objects.get(user=editor).key != first


def test_signing_in_with_an_app_needs_its_code(client, editor, require_2fa):
    device = enrolled(editor)

    without = sign_in(client, "redaktor")
    assert not signed_in(without)
    assert "Введите код из приложения" in without.content.decode()

    wrong = sign_in(client, "redaktor", code="123456")
    assert not signed_in(wrong)
    assert "Код неверный" in wrong.content.decode()

    # Each wrong code makes the next wait longer (1 s after the first): the user waits.
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        assert signed_in(sign_in(client, "redaktor", code=code_for(device)))
        assert client.get("/admin/").status_code == 200


def test_codes_in_quick_succession_are_slowed_down(client, editor, require_2fa):
    device = enrolled(editor)
    sign_in(client, "redaktor", code="123456")

    response = sign_in(client, "redaktor", code=code_for(device))

    assert not signed_in(response)
    assert "Подождите несколько секунд" in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, editor, require_2fa):
    enrolled(editor)
    for _ in range(3):
        sign_in(client, "redaktor", code="000000")

    assert AccessAttempt.objects.get(username="redaktor").failures_since_start == 3
    assert sign_in(client, "redaktor", code="000000").status_code == 429


def test_a_code_works_only_once(client, editor, require_2fa):
    device = enrolled(editor)
    code = code_for(device)
    assert signed_in(sign_in(client, "redaktor", code=code))
    client.logout()

    assert not signed_in(sign_in(client, "redaktor", code=code))


def test_wrong_password_with_a_right_code_does_not_sign_in(client, editor, require_2fa):
    device = enrolled(editor)

    assert not signed_in(sign_in(client, "redaktor", "wrong", code=code_for(device)))


def test_superusers_need_two_factor_too(client, boss, require_2fa):
    response = sign_in(client, "boss")

    assert response["Location"].startswith("/admin/two-factor/")


def test_reporters_sign_in_with_a_password_alone(client, reporter_with_password, require_2fa):
    assert signed_in(sign_in(client, "korr"))
    assert client.get("/admin/").status_code == 200


def test_reporter_who_set_up_an_app_must_use_it(client, reporter_with_password, require_2fa):
    enrolled(reporter_with_password)

    assert not signed_in(sign_in(client, "korr"))


def test_two_factor_is_not_required_when_switched_off(client, editor, settings):
    settings.REQUIRE_2FA = False

    assert signed_in(sign_in(client, "redaktor"))
    assert client.get("/admin/").status_code == 200


def test_session_signed_in_before_two_factor_was_required_is_stopped(client, editor, settings):
    settings.REQUIRE_2FA = False
    sign_in(client, "redaktor")
    settings.REQUIRE_2FA = True

    response = client.get("/admin/articles/story/")

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith("/admin/two-factor/")


def test_superuser_resets_an_editors_app(client, editor, boss, require_2fa):
    enrolled(editor)
    client.force_login(boss)
    session = client.session
    session["otp_device_id"] = enrolled(boss).persistent_id
    session.save()

    response = client.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [editor.pk]}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert AuditEvent.objects.get(action=Action.TWO_FACTOR_RESET).target_repr == "redaktor"
    editor_client = type(client)()
    assert sign_in(editor_client, "redaktor")["Location"].startswith("/admin/two-factor/")


def test_user_list_shows_who_has_two_factor(admin_client, editor):
    enrolled(editor)

    response = admin_client.get("/admin/auth/user/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_editors_cannot_reset_anyones_app(client, editor_user, reporter):
    enrolled(reporter)
    client.force_login(editor_user)

    response = client.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [reporter.pk]}
    )

    # The action is not offered to them: the list answers without running it.
    assert response.status_code in (200, 302, 403)
    assert TOTPDevice.objects.filter(user=reporter).exists()
    assert not AuditEvent.objects.filter(action=Action.TWO_FACTOR_RESET).exists()


def test_nobody_reads_a_secret_through_the_admin(admin_client, editor):
    enrolled(editor)

    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_set_up_page_is_for_staff_only(client, db):
    client.force_login(User.objects.create_user("reader", password=PASSWORD))

    response = client.get("/admin/two-factor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_stopped_at_the_set_up_can_sign_out(client, editor, require_2fa):
    sign_in(client, "redaktor")
    assert 'action="/admin/logout/"' in client.get("/admin/two-factor/").content.decode()

    response = client.post("/admin/logout/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/two-factor/")["Location"].startswith("/admin/login/")


def test_set_up_page_sends_only_to_this_site_after(client, editor, require_2fa):
    sign_in(client, "redaktor")
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(
        "/admin/two-factor/", {"otp_token": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/admin/"


# Sessions


def test_session_ends_after_a_working_day_without_activity(client, editor):
    sign_in(client, "redaktor")

    with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
        assert client.get("/admin/").status_code == 302


def test_working_keeps_the_session_alive(client, editor):
    start = timezone.now()
    sign_in(client, "redaktor")
    with time_machine.travel(start + timedelta(hours=7)):
        assert client.get("/admin/").status_code == 200

    with time_machine.travel(start + timedelta(hours=14)):
        assert client.get("/admin/").status_code == 200


def test_background_requests_do_not_keep_the_session_alive(client, editor):
    start = timezone.now()
    sign_in(client, "redaktor")
    with time_machine.travel(start + timedelta(hours=7)):
        # What a page's script asks by itself (a heartbeat) is not the user at work.
        assert client.get("/admin/", HTTP_SEC_FETCH_MODE="cors").status_code == 200

    with time_machine.travel(start + timedelta(hours=8, minutes=1)):
        assert client.get("/admin/").status_code == 302


# Passwords


def test_password_change_in_the_admin(client, editor):
    sign_in(client, "redaktor")
    new = "новый-пароль-для-вёрстки-7"

    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    client.logout()
    assert not signed_in(sign_in(client, "redaktor"))
    assert signed_in(sign_in(client, "redaktor", new))
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_CHANGED, target_repr="redaktor"
    ).exists()


def test_password_reset_by_e_mail(client, editor):
    editor.email = "aigerim@example.kz"
    editor.save()
    login_page = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in login_page

    response = client.post("/admin/password_reset/", {"email": "aigerim@example.kz"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "пароль-после-сброса-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    complete = client.get(done["Location"]).content.decode()
    assert 'href="/admin/login/"' in complete
    assert signed_in(sign_in(client, "redaktor", new))


def test_password_reset_for_an_unknown_address_tells_nothing(client, db):
    response = client.post("/admin/password_reset/", {"email": "nobody@example.kz"})

    assert response.status_code == 302
    assert mail.outbox == []


# Pages


def test_login_page_offers_the_code_field_in_russian(client, db):
    html = client.get("/admin/login/").content.decode()

    assert 'name="otp_token"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "Код из приложения-аутентификатора" in html


# The command line


def test_command_resets_a_lost_app(editor, capsys):
    enrolled(editor)

    call_command("reset_two_factor", "redaktor")

    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert "two-factor sign-in reset" in capsys.readouterr().out
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert (event.target_repr, event.actor, event.detail) == (
        "redaktor", None, "manage.py reset_two_factor",
    )  # fmt: skip


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("reset_two_factor", "nobody")


def test_command_says_when_there_is_nothing_to_reset(editor, capsys):
    call_command("reset_two_factor", "redaktor")

    assert "nothing to reset" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(action=Action.TWO_FACTOR_RESET).exists()
