"""Editors manage the photo library; reporters add photos and edit them (they upload them from
the story form). Idempotent, like 0005."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

EDITORS = "Editors"
REPORTERS = "Reporters"
EDITOR_MODELS = ("photo", "phototag", "taggedphoto")
REPORTER_CODENAMES = (
    "add_photo", "change_photo", "view_photo", "view_phototag", "view_taggedphoto",
)


def _make_permissions(apps, db):
    # Permissions are normally made after migrate finishes; make them now so they can be given.
    app_config = apps.get_app_config("articles")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
    finally:
        app_config.models_module = models_module


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    _make_permissions(apps, db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.using(db).get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.using(db).filter(
            Q(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
        )
    )
    reporters, _ = Group.objects.using(db).get_or_create(name=REPORTERS)
    reporters.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__app_label="articles", codename__in=REPORTER_CODENAMES
        )
    )


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for reporters in Group.objects.using(db).filter(name=REPORTERS):
        reporters.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="articles", codename__in=REPORTER_CODENAMES
            )
        )
    for editors in Group.objects.using(db).filter(name=EDITORS):
        editors.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="articles", content_type__model__in=EDITOR_MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_photo_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
