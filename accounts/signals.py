"""What goes into the audit log and the security log without the code that causes it knowing:
sign-ins, deletions, and changes to who may do what.

Story state changes are recorded by the workflow itself (``Story.apply``), and restores by
``StorySnapshot``; the rest happens in many places (the admin, commands, the shell) and is
caught here, once.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Story

from .addresses import client_ip
from .middleware import SessionActivityMiddleware, current_request
from .models import Action, AuditEvent

logger = logging.getLogger("newsroom.security")
User = get_user_model()
STATUS_FIELDS = ("is_active", "is_staff", "is_superuser")


def _address(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        SessionActivityMiddleware.touch(request.session)
    two_factor = getattr(user, "otp_device", None) is not None
    logger.info(
        "sign-in: %s from %s%s", user.get_username(), _address(request),
        " with a two-factor code" if two_factor else "",
    )  # fmt: skip
    AuditEvent.objects.record(
        Action.SIGNED_IN,
        actor=user,
        request=request,
        detail="2FA" if two_factor else "",
    )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, reason="password", **kwargs):
    username = str(credentials.get("username") or "")[:150]
    logger.warning("failed sign-in: %r from %s (%s)", username, _address(request), reason)
    AuditEvent.objects.record(Action.SIGN_IN_FAILED, name=username, request=request, detail=reason)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("locked out: %r from %s", username, ip_address)
    AuditEvent.objects.record(Action.LOCKED_OUT, name=str(username or "")[:150], request=request)


@receiver(post_delete, sender=Story, dispatch_uid="audit_story_deleted")
@receiver(post_delete, sender=User, dispatch_uid="audit_user_deleted")
@receiver(post_delete, sender=Group, dispatch_uid="audit_group_deleted")
def deleted(sender, instance, origin=None, **kwargs):
    AuditEvent.objects.record(Action.DELETED, target=instance)


def _names(model, pks):
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    return sorted(str(row) for row in model.objects.filter(pk__in=pks))


def _membership_changed(action, instance, reverse, model, pk_set, audit_action):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    sign = "+" if action == "post_add" else "−"
    if action == "pre_clear":
        related = getattr(instance, _cleared_attr(instance, model, reverse))
        pk_set = set(related.values_list("pk", flat=True))
    if not pk_set:
        return
    if reverse:
        # group.user_set.add(user) or permission.group_set...: one event per changed account.
        for target in model.objects.filter(pk__in=pk_set):
            AuditEvent.objects.record(audit_action, target=target, detail=f"{sign}{instance}")
        return
    names = ", ".join(f"{sign}{name}" for name in _names(model, pk_set))
    AuditEvent.objects.record(audit_action, target=instance, detail=names)


def _cleared_attr(instance, model, reverse):
    if isinstance(instance, User):
        return "groups" if model is Group else "user_permissions"
    if isinstance(instance, Group):
        return "permissions" if model is Permission else "user_set"
    return "user_set" if model is User else "group_set"


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_groups")
def groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _membership_changed(action, instance, reverse, model, pk_set, Action.GROUPS_CHANGED)


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="audit_user_perms")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="audit_group_perms")
def permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _membership_changed(action, instance, reverse, model, pk_set, Action.PERMISSIONS_CHANGED)


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before")
def remember_account_status(sender, instance, raw, update_fields=None, **kwargs):
    """Keep what the status flags and the password were, to tell what the save changes.

    Signing in saves ``last_login`` alone: that costs no extra query."""
    watched = {*STATUS_FIELDS, "password"}
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not watched & set(update_fields))
    ):
        instance._audit_before = None
        return
    instance._audit_before = (
        User.objects.filter(pk=instance.pk).values(*STATUS_FIELDS, "password").first()
    )


@receiver(post_save, sender=User, dispatch_uid="audit_user_after")
def account_status_changed(sender, instance, created, raw, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if created:
        before = dict.fromkeys(STATUS_FIELDS, False) | {"password": instance.password}
        before["is_active"] = True  # a new active account is not news; a new staff one is
    if before is None:
        return
    changes = [
        f"{field}: {before[field]} → {getattr(instance, field)}"
        for field in STATUS_FIELDS
        if before[field] != getattr(instance, field)
    ]
    if changes:
        AuditEvent.objects.record(Action.STATUS_CHANGED, target=instance, detail=", ".join(changes))
    if not created and before["password"] != instance.password:
        request = current_request()
        logger.info("password changed: %s from %s", instance.get_username(), _address(request))
        AuditEvent.objects.record(Action.PASSWORD_CHANGED, target=instance)
