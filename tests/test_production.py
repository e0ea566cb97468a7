"""Production settings and the production server, run as an operator would: as subprocesses
with a production environment."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def production_env(tmp_path, **overrides):
    """What a deployment behind a TLS proxy sets, and nothing from the developer's shell."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.kz",
        "SITE_URL": "https://news.example.kz",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_sees_a_site_served_without_tls(tmp_path):
    """The check is not silenced: a plain-http address turns the TLS settings off; it says so."""
    env = production_env(tmp_path, SITE_URL="http://news.example.kz")

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W008" in result.stderr  # SSL redirect


def test_site_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=None), "check")

    assert result.returncode == 1
    assert result.stderr.strip().startswith("SECRET_KEY is not set")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "var" / "secret_key").exists()


def test_wsgi_application_refuses_to_load_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, DJANGO_SETTINGS_MODULE="newsroom.settings")

    result = subprocess.run(
        [PYTHON, "-c", "import newsroom.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "SECRET_KEY" in result.stderr


def test_development_keeps_a_key_of_its_own(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, DEBUG="1", SITE_URL=None)

    assert manage(env, "check").returncode == 0
    key = (tmp_path / "var" / "secret_key").read_text()
    assert len(key) >= 50
    assert manage(env, "check").returncode == 0
    assert (tmp_path / "var" / "secret_key").read_text() == key


def test_production_settings_secure_the_cookies_and_trust_the_proxy_for_https(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.DEBUG, s.REQUIRE_2FA, "
        "s.LANGUAGE_COOKIE_SECURE)"
    )

    result = manage(production_env(tmp_path), "shell", "-v", "0", "-c", script)

    assert result.stdout.split() == [
        "True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "False",
        "True", "True",
    ]  # fmt: skip


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``make serve`` from scratch (fresh database, no collected files, no SECRET_KEY): yields
    the address it answers on, its output so far and its folder."""
    tmp_path = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = production_env(
        tmp_path, SECRET_KEY=None, SITE_URL=None, ALLOWED_HOSTS="127.0.0.1",
        PORT=str(port), WEB_CONCURRENCY="2", MAKEFLAGS=None,
    )  # fmt: skip
    env["VENV"] = str(Path(PYTHON).parent.parent)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"VENV={env['VENV']}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if get(url + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within 90 seconds:\n" + log.read_text())
        yield url, log, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_serve_runs_the_production_server_from_a_fresh_checkout(served):
    url, log, tmp_path = served

    status, headers, body = get(url + "/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    assert b'<html lang="ru">' in body
    assert "SECRET_KEY is not set: this local run uses the key in" in log.read_text()
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_make_serve_serves_hashed_compressed_static_files_cached_for_good(served):
    url, _log, _tmp = served
    page = get(url + "/")[2].decode()
    stylesheet = page.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]

    status, headers, body = get(url + stylesheet, **{"Accept-Encoding": "gzip"})

    assert stylesheet.startswith("/static/css/site.") and stylesheet.count(".") == 2
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]
    assert len(body) > 100


def test_make_serve_answers_with_debug_off(served):
    url, _log, _tmp = served

    status, _headers, body = get(url + "/no-such-page/")

    assert status == 404
    assert b"Traceback" not in body and b"DEBUG = True" not in body


def test_mail_goes_to_the_console_unless_an_smtp_server_is_named(tmp_path):
    script = "from django.conf import settings as s; print(s.EMAIL_BACKEND.rsplit('.', 2)[-2])"

    console = manage(production_env(tmp_path), "shell", "-v", "0", "-c", script)
    smtp = manage(
        production_env(tmp_path, EMAIL_HOST="smtp.example.kz", EMAIL_PORT="587"),
        "shell", "-v", "0", "-c",
        script + "; print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)",
    )  # fmt: skip

    assert console.stdout.split() == ["console"]
    assert smtp.stdout.split() == ["smtp", "smtp.example.kz", "587", "True", "False"]


def test_policy_violation_reports_go_where_the_environment_says(tmp_path):
    env = production_env(tmp_path, CSP_REPORT_URI="https://reports.example.kz/csp")
    script = (
        "from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['report-uri'])"
    )

    result = manage(env, "shell", "-v", "0", "-c", script)

    assert result.stdout.strip() == "https://reports.example.kz/csp"
