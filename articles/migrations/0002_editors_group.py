"""The «Editors» group: everything on the newsroom's models, and seeing user accounts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP = "Editors"
MODELS = ("story", "quote", "section", "newsmaker", "source", "tag", "taggedstory")


def create_editors_group(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are normally made after migrate finishes; make them now so they can be given.
    for label in ("auth", "articles"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=db)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    permissions = Permission.objects.using(db).filter(
        Q(content_type__app_label="articles", content_type__model__in=MODELS)
        | Q(content_type__app_label="auth", content_type__model="user", codename="view_user")
    )
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
