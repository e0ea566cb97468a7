"""The audit log: who published, withdrew, deleted or restored stories, who changed whose
permissions, groups or staff status, who signed in and who failed to.

Story moves between states keep their own record (``StoryTransition``, with comments); the
audit log holds the security-relevant ones beside the account events, in one place a superuser
can read and nobody can edit.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .addresses import client_ip
from .middleware import current_request


class Action(models.TextChoices):
    SIGNED_IN = "signed-in", _("Signed in")
    SIGN_IN_FAILED = "sign-in-failed", _("Failed sign-in")
    LOCKED_OUT = "locked-out", _("Locked out")
    UNLOCKED = "unlocked", _("Unlocked")
    PASSWORD_CHANGED = "password-changed", _("Password changed")
    TWO_FACTOR_ENROLLED = "2fa-enrolled", _("Two-factor sign-in set up")
    TWO_FACTOR_RESET = "2fa-reset", _("Two-factor sign-in reset")
    PUBLISHED = "published", _("Published")
    SCHEDULED = "scheduled", _("Scheduled")
    UNPUBLISHED = "unpublished", _("Taken back to draft")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DELETED = "deleted", _("Deleted")
    RESTORED = "restored", _("Restored")
    GROUPS_CHANGED = "groups-changed", _("Groups changed")
    PERMISSIONS_CHANGED = "permissions-changed", _("Permissions changed")
    STATUS_CHANGED = "status-changed", _("Account status changed")


class AuditEventQuerySet(models.QuerySet):
    def record(self, action, *, actor=None, target=None, detail="", request=None, name=""):
        """Write one event. ``actor`` defaults to the user of the request being answered (none
        in commands); ``name`` is who acted when there is no account (a failed sign-in)."""
        request = request or current_request()
        if actor is None and request is not None:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
        field = AuditEvent._meta.get_field
        return self.create(
            action=action,
            actor=actor,
            actor_name=(actor.get_username() if actor else name)[: field("actor_name").max_length],
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[: field("target_repr").max_length]
            if target is not None
            else "",
            detail=detail,
            ip_address=client_ip(request) if request is not None else None,
        )


class AuditEvent(models.Model):
    Action = Action

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as written: the account may be renamed or deleted, and a failed sign-in has none.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("kind"), on_delete=models.SET_NULL, null=True, blank=True
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.TextField(_("details"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "-at"], name="audit_action_at_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '—'}: {self.get_action_display()}"
