"""Remove a user's authenticator app from the command line: for the superuser who lost theirs
and has no other superuser to reset it in the admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import twofactor
from accounts.models import Action, AuditEvent


class Command(BaseCommand):
    help = "Remove a user's authenticator app; they set one up again at the next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not twofactor.reset(user):
            self.stdout.write(f"{username} has no authenticator app: nothing to reset.")
            return
        AuditEvent.objects.record(
            Action.TWO_FACTOR_RESET, target=user, detail="manage.py reset_two_factor"
        )
        self.stdout.write(
            f"{username}: two-factor sign-in reset; set up the app at the next sign-in."
        )
