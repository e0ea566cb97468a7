"""``manage.py fetch_partner_news``: fetch the shown partner feeds and keep their headlines.

Run it every 10–15 minutes (cron or a systemd timer, see the README). One line per feed says
what happened; a feed that fails keeps its last good headlines, and the exit status is non-zero
when any feed failed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import partners
from articles.models import PartnerFeed


class Command(BaseCommand):
    help = gettext_lazy(
        "Fetch the partner feeds that are shown and keep their latest headlines for the "
        "«Partner news» block. A feed that fails keeps the headlines it had."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            metavar="SECONDS",
            help=gettext_lazy("Give up on a feed after this long (default: PARTNER_FEED_TIMEOUT)."),
        )

    def handle(self, *args, timeout=None, **options):
        if timeout is not None and not 0 < timeout <= 300:
            raise CommandError(_("--timeout must be between 0 and 300 seconds."))
        feeds = list(PartnerFeed.objects.filter(enabled=True))
        if not feeds:
            self.stdout.write(_("No partner feeds are shown; add them in the admin."))
            return
        failed = 0
        for result in partners.fetch_all(feeds, timeout=timeout):
            values = {"name": result.feed.name, "count": result.links, "error": result.error}
            if result.ok:
                line = ngettext(
                    "%(name)s: %(count)d headline.", "%(name)s: %(count)d headlines.", result.links
                )
                self.stdout.write(self.style.SUCCESS(line % values))
            else:
                failed += 1
                kept = result.feed.links.count()
                values["count"] = kept
                line = ngettext(
                    "%(name)s: failed (%(error)s); %(count)d earlier headline kept.",
                    "%(name)s: failed (%(error)s); %(count)d earlier headlines kept.",
                    kept,
                )
                self.stdout.write(self.style.ERROR(line % values))
        if failed:
            raise CommandError(
                ngettext(
                    "%(failed)d of %(total)d partner feed failed.",
                    "%(failed)d of %(total)d partner feeds failed.",
                    failed,
                )
                % {"failed": failed, "total": len(feeds)}
            )
