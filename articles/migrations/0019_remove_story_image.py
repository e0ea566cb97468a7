"""The story's own image fields, now that its picture is a photo of the library (0015)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_story_images_to_photos"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='story',
            name='image',
        ),
        migrations.RemoveField(
            model_name='story',
            name='image_alt',
        ),
        migrations.RemoveField(
            model_name='story',
            name='image_caption',
        ),
        migrations.RemoveField(
            model_name='story',
            name='image_credit',
        ),
        migrations.RemoveField(
            model_name='story',
            name='image_height',
        ),
        migrations.RemoveField(
            model_name='story',
            name='image_width',
        ),
    ]
