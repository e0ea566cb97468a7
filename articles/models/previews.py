"""Shareable preview links: an unpublished story shown to someone without an account.

A link is ``/preview/<id>-<signature>/``: the row holds the story, the expiry and whether the link
was revoked; the signature (an HMAC of the id, the story and the expiry under SECRET_KEY) makes
links impossible to guess or to alter, and is checked before the database is asked anything.
"""

import base64
import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .workflow import Status

TOKEN = re.compile(r"(?P<pk>[1-9][0-9]{0,17})-(?P<signature>[A-Za-z0-9_-]{22})")


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def from_token(self, token):
        """The active link ``token`` stands for, or None for anything else (never an error)."""
        match = TOKEN.fullmatch(token or "")
        if match is None:
            return None
        link = (
            self.active()
            .exclude(story__status=Status.WITHDRAWN)
            .filter(pk=int(match["pk"]))
            .first()
        )
        if link is None or not constant_time_compare(link.signature(), match["signature"]):
            return None
        return link


class PreviewLink(models.Model):
    story = models.ForeignKey(
        "Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return self.token

    def get_absolute_url(self):
        return reverse("articles:preview", args=[self.token])

    @classmethod
    def create_for(cls, story, *, by=None, hours=None):
        hours = settings.PREVIEW_LINK_HOURS if hours is None else hours
        # Whole seconds: the signature covers the expiry as a Unix time.
        now = timezone.now().replace(microsecond=0)
        return cls.objects.create(
            story=story, created_by=by, created_at=now, expires_at=now + timedelta(hours=hours)
        )

    def signature(self):
        value = f"{self.pk}:{self.story_id}:{int(self.expires_at.timestamp())}"
        digest = salted_hmac("articles.preview", value, algorithm="sha256").digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    @property
    def token(self):
        return f"{self.pk}-{self.signature()}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
