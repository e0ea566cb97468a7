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
    label = "Demo editor"
    default_username = "editor"
    make_account = staticmethod(make_demo_editor)

    def add_arguments(self, parser):
        parser.add_argument(
            "--username",
            default=self.default_username,
            help=f"Login name (default: {self.default_username}).",
        )
        parser.add_argument(
            "--url", help="Admin address to print (default: SITE_URL followed by the admin path)."
        )

    def handle(self, *args, username, url, **options):
        try:
            user, password = self.make_account(username)
        except NotAnEditorAccount:
            raise CommandError(
                f"{username!r} is a superuser; choose another --username for the demo account."
            ) from None
        url = url or settings.SITE_URL + reverse("admin:index")
        self.stdout.write(
            f"{self.label}: {url}  login: {user.get_username()}  password: {password}"
        )
