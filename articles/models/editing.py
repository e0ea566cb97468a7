"""Two people on one story: catching saves over a newer version, and who has the story open."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The change page reports every HEARTBEAT seconds; someone not heard from for FRESH has left.
HEARTBEAT = timedelta(seconds=10)
FRESH = timedelta(seconds=30)
# Rows nobody has refreshed for this long are deleted as the next heartbeat comes in.
FORGOTTEN = timedelta(hours=1)


class EditConflict(Exception):
    """Someone saved the story after ``opened_version``, which the edit being saved began from."""

    def __init__(self, story, opened_version):
        super().__init__(f"story {story.pk}: opened at version {opened_version}, saved since")
        self.story = story
        self.opened_version = opened_version


class EditSessionQuerySet(models.QuerySet):
    def open_now(self):
        return self.filter(seen_at__gte=timezone.now() - FRESH)


class EditSession(models.Model):
    """Someone has a story's change page open; refreshed by the page's heartbeat."""

    story = models.ForeignKey(
        "Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="edit_sessions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now, db_index=True)

    objects = EditSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("open story")
        verbose_name_plural = _("open stories")
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="one_edit_session_per_user")
        ]

    def __str__(self):
        return f"{self.user} on {self.story_id}"

    @classmethod
    def heartbeat(cls, story, user):
        """Note that ``user`` has ``story`` open now: one UPDATE on every beat but the first."""
        now = timezone.now()
        if cls.objects.filter(story=story, user=user).update(seen_at=now):
            return
        cls.objects.filter(seen_at__lt=now - FORGOTTEN).delete()
        cls.objects.get_or_create(story=story, user=user, defaults={"seen_at": now})

    @classmethod
    def leave(cls, story, user):
        cls.objects.filter(story=story, user=user).delete()

    @classmethod
    def others_on(cls, story, user):
        """The other people who have ``story`` open now, by name."""
        sessions = cls.objects.open_now().filter(story=story).exclude(user=user)
        return [session.user for session in sessions.select_related("user").order_by("seen_at")]
