"""The site's address: ``make run`` serves on PORT and commands print links that open there."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WIRE = REPO / "tests" / "fixtures" / "wire" / "batch" / "05-library.txt"
PYTHON = str(REPO / ".venv" / "bin" / "python")


def environment(var_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DATABASE_URL", "DEBUG"}}
    return {**env, "NEWSROOM_VAR_DIR": str(var_dir), "MEDIA_ROOT": str(var_dir / "media"), **extra}


def site_url(var_dir, **extra):
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environment(var_dir, DJANGO_SETTINGS_MODULE="newsroom.settings", **extra),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_site_url_is_the_address_make_run_last_served_on(tmp_path):
    (tmp_path / "site_url").write_text("http://127.0.0.1:8101\n")

    assert site_url(tmp_path) == "http://127.0.0.1:8101"


def test_site_url_from_the_environment_wins(tmp_path):
    (tmp_path / "site_url").write_text("http://127.0.0.1:8101\n")

    assert site_url(tmp_path, SITE_URL="https://news.example.kz/") == "https://news.example.kz"


def test_site_url_defaults_to_the_development_address(tmp_path):
    assert site_url(tmp_path) == "http://127.0.0.1:8000"


@pytest.mark.skipif(not Path(PYTHON).exists(), reason="needs the virtualenv make installs")
def test_link_printed_after_importing_opens_the_story_make_run_serves(tmp_path):
    port = free_port()
    env = environment(tmp_path)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(home, timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("make run did not serve the site")
                time.sleep(0.5)

        imported = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "import_story",
                str(WIRE),
                "--section",
                "kazakhstan",
                "--publish",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        url = re.search(r"http://\S+/news/\S+", imported)[0]

        assert url.startswith(f"http://127.0.0.1:{port}/news/kazakhstan/")
        with urllib.request.urlopen(url, timeout=10) as page:
            assert "В Павлодаре открылась детская библиотека" in page.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
