"""The newsroom's two roles as permission groups: Editors and Reporters.

Editors do everything with stories, including publishing, scheduling and withdrawing them
(``articles.publish_story``). Reporters write: they create stories, edit the drafts they author
and send them to review. The data migrations ``0002_editors_group`` and
``0005_editors_and_reporters`` grant the same; these lists rebuild the groups when they are
missing (e.g. after a database flush).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS = "Editors"
REPORTERS = "Reporters"

EDITOR_MODELS = (
    "story", "quote", "section", "newsmaker", "source", "tag", "taggedstory", "correction",
    "previewlink", "partnerfeed", "partnerlink", "liveentry", "photo", "phototag", "taggedphoto",
)  # fmt: skip
EDITOR_CODENAMES = ("publish_story", "view_storytransition")
REPORTER_CODENAMES = (
    "add_story", "change_story", "view_story",
    "add_quote", "change_quote", "delete_quote", "view_quote",
    "view_section", "add_newsmaker", "view_newsmaker", "add_source", "view_source",
    "view_tag", "view_taggedstory", "view_storytransition", "view_correction",
    "add_liveentry", "change_liveentry", "delete_liveentry", "view_liveentry",
    "add_photo", "change_photo", "view_photo", "view_phototag", "view_taggedphoto",
)  # fmt: skip


def _permissions(condition):
    # Both roles see user accounts: authors are picked from them.
    return Permission.objects.filter(
        condition | Q(content_type__app_label="auth", codename="view_user")
    )


def editor_permissions():
    return _permissions(
        Q(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
        | Q(content_type__app_label="articles", codename__in=EDITOR_CODENAMES)
    )


def reporter_permissions():
    return _permissions(Q(content_type__app_label="articles", codename__in=REPORTER_CODENAMES))


def role_group(name):
    """The group of a role; made with its permissions if it is missing."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        permissions = editor_permissions() if name == EDITORS else reporter_permissions()
        group.permissions.set(permissions)
    return group
