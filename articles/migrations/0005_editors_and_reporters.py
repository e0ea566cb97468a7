"""Editors may publish, withdraw and annotate stories; Reporters write and send to review.

Idempotent: running it on a database that already has the groups only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

EDITORS = "Editors"
REPORTERS = "Reporters"
EDITOR_MODELS = ("correction", "previewlink")
EDITOR_CODENAMES = ("publish_story", "view_storytransition")
REPORTER_CODENAMES = (
    "add_story", "change_story", "view_story",
    "add_quote", "change_quote", "delete_quote", "view_quote",
    "view_section", "add_newsmaker", "view_newsmaker", "add_source", "view_source",
    "view_tag", "view_taggedstory", "view_storytransition", "view_correction",
)  # fmt: skip


def _make_permissions(apps, db):
    # Permissions are normally made after migrate finishes; make them now so they can be given.
    for label in ("auth", "articles"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=db)
        finally:
            app_config.models_module = models_module


def _editor_permissions(Permission, db):
    return Permission.objects.using(db).filter(
        Q(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
        | Q(content_type__app_label="articles", codename__in=EDITOR_CODENAMES)
    )


def create_groups(apps, schema_editor):
    db = schema_editor.connection.alias
    _make_permissions(apps, db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.using(db).get_or_create(name=EDITORS)
    editors.permissions.add(*_editor_permissions(Permission, db))

    reporters, _ = Group.objects.using(db).get_or_create(name=REPORTERS)
    reporters.permissions.add(
        *Permission.objects.using(db).filter(
            Q(content_type__app_label="articles", codename__in=REPORTER_CODENAMES)
            | Q(content_type__app_label="auth", codename="view_user")
        )
    )


def remove_groups(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.using(db).filter(name=REPORTERS).delete()
    for editors in Group.objects.using(db).filter(name=EDITORS):
        editors.permissions.remove(*_editor_permissions(Permission, db))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
