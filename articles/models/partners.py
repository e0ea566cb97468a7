"""Partner news: other sites' feeds whose latest headlines stories link to («Новости партнеров»).

Editors list the feeds; ``fetch_partner_news`` (``articles/partners.py``) reads them and keeps
each feed's last good headlines here, titles and addresses only, whatever the feed held.
"""

from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How many headlines of each partner the block shows, and how many it shows in all.
SHOWN_PER_FEED = 2
SHOWN = 6
ERROR_LENGTH = 500


class PartnerFeed(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("Shown with its headlines."))
    url = models.URLField(
        _("feed address"),
        max_length=500,
        unique=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The address of the partner's RSS or Atom feed (http or https)."),
    )
    enabled = models.BooleanField(
        _("shown"), default=True, help_text=_("Fetch this feed and show its headlines.")
    )
    checked_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    succeeded_at = models.DateTimeField(
        _("last fetched successfully"), null=True, blank=True, editable=False
    )
    error = models.CharField(_("last error"), max_length=ERROR_LENGTH, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner feed")
        verbose_name_plural = _("partner feeds")

    def __str__(self):
        return self.name

    def store(self, links, *, at=None):
        """Make ``links`` (``partners.Link``, newest first) the feed's headlines."""
        at = at or timezone.now()
        with transaction.atomic():
            self.links.all().delete()
            PartnerLink.objects.bulk_create(
                PartnerLink(feed=self, position=position, **vars(link))
                for position, link in enumerate(links)
            )
            self.checked_at = self.succeeded_at = at
            self.error = ""
            self.save(update_fields=["checked_at", "succeeded_at", "error"])

    def record_failure(self, message, *, at=None):
        """Note what went wrong; the headlines fetched last time stay."""
        self.checked_at = at or timezone.now()
        self.error = message[:ERROR_LENGTH]
        self.save(update_fields=["checked_at", "error"])


class PartnerLinkQuerySet(models.QuerySet):
    def shown(self):
        """What the «Partner news» block shows, in one query: the newest headlines of each
        shown feed in turn, so that every partner gets its place."""
        return (
            self.filter(feed__enabled=True, position__lt=SHOWN_PER_FEED)
            .select_related("feed")
            .order_by("position", "feed__name", "feed_id")[:SHOWN]
        )


class PartnerLink(models.Model):
    """A partner's headline: plain text and an http(s) address, nothing else of the feed."""

    feed = models.ForeignKey(
        PartnerFeed, verbose_name=_("partner feed"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("headline"), max_length=300)
    url = models.URLField(_("address"), max_length=500)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Its place in the feed as fetched, 0 for the first (the newest).
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = PartnerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["feed", "position"]
        verbose_name = _("partner headline")
        verbose_name_plural = _("partner headlines")
        indexes = [models.Index(fields=["position", "feed"], name="partnerlink_position_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
