"""``manage.py demo_editor``: a staff account in the Editors group with a fresh password."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.demo import NotAnEditorAccount, make_demo_editor


class Command(BaseCommand):
    help = (
        "Create or update a staff user in the Editors group, give it a new random password "
        "and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor", help="Login name (default: editor).")
        parser.add_argument(
            "--url", help="Admin address to print (default: SITE_URL followed by the admin path)."
        )

    def handle(self, *args, username, url, **options):
        try:
            user, password = make_demo_editor(username)
        except NotAnEditorAccount:
            raise CommandError(
                f"{username!r} is a superuser; choose another --username for the demo editor."
            ) from None
        url = url or settings.SITE_URL + reverse("admin:index")
        self.stdout.write(f"Demo editor: {url}  login: {user.get_username()}  password: {password}")
