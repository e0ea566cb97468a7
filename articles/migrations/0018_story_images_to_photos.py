"""Each story's image becomes a photo of the library, with its description, caption, credit
and size; the story points to it (stories sharing a file share the photo). The file stays where
it is. Renditions are drawn when a page first needs them. Backwards, the photo's file and texts
are copied onto the story again."""

from django.db import migrations
from PIL import Image


def images_to_photos(apps, schema_editor):
    db = schema_editor.connection.alias
    Story = apps.get_model("articles", "Story")
    Photo = apps.get_model("articles", "Photo")
    stories = Story.objects.using(db).exclude(image="").exclude(image__isnull=True)
    for story in stories.order_by("pk").iterator():
        # Migrated back and forth: the photo made the first time is the same picture.
        photo = Photo.objects.using(db).filter(file=story.image.name).order_by("pk").first()
        if photo is not None:
            Story.objects.using(db).filter(pk=story.pk).update(photo=photo)
            continue
        width, height = story.image_width, story.image_height
        if not (width and height):
            try:
                with story.image.open("rb") as file, Image.open(file) as image:
                    width, height = image.size
            except (OSError, ValueError, SyntaxError):
                width = height = 0  # gone from storage: the page shows what it can
        photo = Photo.objects.using(db).create(
            # A description is required of photos; an old image without one gets the headline.
            alt=(story.image_alt or "").strip() or story.headline[:255],
            caption=story.image_caption,
            credit=story.image_credit,
            width=width,
            height=height,
            uploaded_at=story.created_at,
        )
        # The name is written apart, so that no file is opened (it may be gone from storage).
        Photo.objects.using(db).filter(pk=photo.pk).update(file=story.image.name)
        Story.objects.using(db).filter(pk=story.pk).update(photo=photo)


def photos_to_images(apps, schema_editor):
    db = schema_editor.connection.alias
    Story = apps.get_model("articles", "Story")
    for story in Story.objects.using(db).filter(photo__isnull=False).select_related("photo"):
        photo = story.photo
        Story.objects.using(db).filter(pk=story.pk).update(
            image=photo.file.name,
            image_width=photo.width or None,
            image_height=photo.height or None,
            image_alt=photo.alt,
            image_caption=photo.caption,
            image_credit=photo.credit,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_story_photo"),
    ]

    operations = [migrations.RunPython(images_to_photos, photos_to_images)]
