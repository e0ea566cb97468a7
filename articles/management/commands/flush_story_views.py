"""``manage.py flush_story_views``: write the story views counted in the cache to the database
and rank the most read stories again.

Each process does this by itself every ``VIEW_COUNTS_FLUSH_SECONDS``; with Redis the command,
run every minute or so (cron or a systemd timer, see the README), does it for all of them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import readership


class Command(BaseCommand):
    help = gettext_lazy(
        "Write the story views counted in the cache to the database and rank the most read "
        "stories again."
    )

    def handle(self, *args, **options):
        try:
            written = readership.flush()
        except readership.CacheUnavailable as error:
            raise CommandError(
                _("The cache is not answering (%(error)s); views stay uncounted until it does.")
                % {"error": error}
            ) from error
        if written is None:
            self.stdout.write(_("Another flush is running; nothing done."))
            return
        self.stdout.write(
            ngettext("%(count)d view written.", "%(count)d views written.", written)
            % {"count": written}
        )
