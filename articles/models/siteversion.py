"""The version of everything readers can see, for the page cache (``articles/pagecache.py``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteVersion(models.Model):
    """One row: a token that changes with any change readers could see, when it last changed,
    and when the next scheduled story or correction comes due (its pages change then with no
    save to tell anyone)."""

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))
    next_due = models.DateTimeField(_("next scheduled change"), null=True, blank=True)

    class Meta:
        verbose_name = _("site version")
        verbose_name_plural = _("site version")

    def __str__(self):
        return self.token
