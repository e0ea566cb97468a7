"""Cross-cutting reactions to saves and deletes: revisions of stories saved outside the admin,
and the share cards a deleted story leaves behind. (The search index is written by
``Story.save`` itself.)"""

from functools import partial

import reversion
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext

from . import sharing
from .models import Story, record_revision


def _record_after_commit(instance):
    instance._revision_pending = False
    story = Story.objects.filter(pk=instance.pk).first()
    if story is not None:
        record_revision([story], comment=gettext("Saved outside the admin."))


@receiver(post_save, sender=Story, dispatch_uid="story_revision_outside_the_admin")
def keep_revision_of_saves_outside_the_admin(sender, instance, raw, **kwargs):
    """Imports and commands save stories too; their revision is taken once the transaction has
    committed, so that it holds the quotes and tags saved after the story itself."""
    if raw or reversion.is_active() or getattr(instance, "_revision_pending", False):
        return
    instance._revision_pending = True
    transaction.on_commit(partial(_record_after_commit, instance))


@receiver(post_delete, sender=Story, dispatch_uid="articles.remove_share_cards")
def remove_share_cards(sender, instance, using, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: sharing.remove_old_cards(pk), using=using)
