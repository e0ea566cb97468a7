"""Cross-cutting reactions to saves and deletes: revisions of stories saved outside the admin,
the share cards a deleted story leaves behind, the search index of stories whose quotes or
speakers changed, the version of live coverage open pages poll for, and the site's version the
page cache keys pages on. (A story's own text is
indexed by ``Story.save`` itself.)"""

from functools import partial

import reversion
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext

from . import pagecache, sharing
from .models import (
    LiveEntry,
    Newsmaker,
    Photo,
    Quote,
    Rendition,
    Story,
    TaggedStory,
    record_revision,
)


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


def _delete_file_after_commit(field_file, using):
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(partial(storage.delete, name), using=using)


@receiver(post_delete, sender=Photo, dispatch_uid="articles.remove_photo_file")
@receiver(post_delete, sender=Rendition, dispatch_uid="articles.remove_rendition_file")
def remove_image_file(sender, instance, using, **kwargs):
    """A deleted photo or rendition takes its file along, once the deletion is committed."""
    _delete_file_after_commit(instance.file, using)


@receiver(post_delete, sender=Story, dispatch_uid="articles.remove_share_cards")
def remove_share_cards(sender, instance, using, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: sharing.remove_old_cards(pk), using=using)


@receiver(post_save, sender=Quote, dispatch_uid="articles.index_story_of_saved_quote")
@receiver(post_delete, sender=Quote, dispatch_uid="articles.index_story_of_deleted_quote")
def index_story_of_quote(sender, instance, using, raw=False, **kwargs):
    """Search finds stories by their quotes' words and speakers: keep the story's index in step."""
    if not raw:
        Story.objects.using(using).filter(pk=instance.story_id).reindex()


@receiver(pre_save, sender=Newsmaker, dispatch_uid="articles.note_renamed_newsmaker")
def note_renamed_newsmaker(sender, instance, using, raw=False, **kwargs):
    instance._renamed = bool(
        not raw
        and instance.pk
        and Newsmaker.objects.using(using)
        .filter(pk=instance.pk)
        .exclude(name=instance.name)
        .exists()
    )


@receiver(post_save, sender=Newsmaker, dispatch_uid="articles.index_stories_of_renamed_newsmaker")
def index_stories_of_renamed_newsmaker(sender, instance, using, **kwargs):
    """A speaker's new name finds the stories that quote them."""
    if getattr(instance, "_renamed", False):
        quoted = Quote.objects.using(using).filter(speaker=instance).values("story_id")
        Story.objects.using(using).filter(pk__in=quoted).reindex()


@receiver(post_save, sender=LiveEntry, dispatch_uid="articles.live_entry_saved")
@receiver(post_delete, sender=LiveEntry, dispatch_uid="articles.live_entry_deleted")
def move_live_version_on(sender, instance, using, raw=False, **kwargs):
    """Open pages poll for ``live_updated_at``: any change of an entry moves it on."""
    if not raw:
        Story.objects.using(using).filter(pk=instance.story_id).update(
            live_updated_at=timezone.now()
        )


# What readers never see: counters, rankings kept apart (``MostRead.objects.rank`` says when
# its order changed), editors' open pages, preview links and the version itself.
NOT_SHOWN_TO_READERS = {
    "storyviews", "mostread", "editsession", "previewlink", "siteversion", "storytransition",
    "partnerfeed",
}  # fmt: skip


def _site_changed(sender, using, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    pagecache.site_changed(using)


def _site_changed_m2m(sender, using, action, **kwargs):
    if action.startswith("post_"):
        pagecache.site_changed(using)


def connect_page_cache():
    """Any save or delete of what reader pages show makes every cached page stale."""
    shown = [
        model
        for model in [*apps.get_app_config("articles").get_models(), get_user_model()]
        if model._meta.model_name not in NOT_SHOWN_TO_READERS
    ]
    for model in shown:
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(_site_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_site_changed, sender=model, dispatch_uid=uid + ".delete")
    for through in (Story.authors.through, Story.sources.through, Story.related.through,
                    TaggedStory):  # fmt: skip
        m2m_changed.connect(
            _site_changed_m2m, sender=through, dispatch_uid=f"pagecache.m2m.{through.__name__}"
        )


connect_page_cache()
