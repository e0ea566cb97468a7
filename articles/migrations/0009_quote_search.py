"""The search index of quotes, and quotes in the search index of their stories.

Quotes get the same index as stories (a GIN-indexed ``tsvector`` on PostgreSQL, lexemes as text
elsewhere), for searching a newsmaker's quotes; stories with quotes are indexed again so that
search finds them by their quotes' words and speakers' names.
"""

import django.contrib.postgres.search
from django.db import migrations, models

GIN_INDEX = "quote_search_vector_idx"
BATCH = 500


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON articles_quote USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def index_quotes_and_their_stories(apps, schema_editor):
    from articles import search
    from articles.richtext import plain_text

    Quote = apps.get_model("articles", "Quote")
    Story = apps.get_model("articles", "Story")
    db = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"

    batch = []
    for quote in Quote.objects.using(db).only("text", "context").order_by("pk").iterator(BATCH):
        if postgres:
            quote.search_vector = search.tsvector(quote.text, quote.context)
        else:
            quote.search_document = search.text_document(quote.text, quote.context, "")
        batch.append(quote)
        if len(batch) == BATCH:
            Quote.objects.using(db).bulk_update(batch, ["search_vector", "search_document"])
            batch = []
    Quote.objects.using(db).bulk_update(batch, ["search_vector", "search_document"])

    quoted = Quote.objects.using(db).values("story_id")
    stories = (
        Story.objects.using(db)
        .filter(pk__in=quoted)
        .only("headline", "lede", "body")
        .prefetch_related(
            models.Prefetch("quotes", queryset=Quote.objects.using(db).select_related("speaker"))
        )
        .order_by("pk")
    )
    batch = []
    for story in stories.iterator(BATCH):
        quotes = "\n".join(
            f"{quote.speaker.name} {quote.text}" if quote.speaker else quote.text
            for quote in story.quotes.all()
        )
        fields = (story.headline, story.lede, plain_text(story.body), quotes)
        if postgres:
            story.search_vector = search.tsvector(*fields)
        else:
            story.search_document = search.text_document(*fields)
        batch.append(story)
        if len(batch) == BATCH:
            Story.objects.using(db).bulk_update(batch, ["search_vector", "search_document"])
            batch = []
    Story.objects.using(db).bulk_update(batch, ["search_vector", "search_document"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_most_read"),
    ]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="quote",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(index_quotes_and_their_stories, migrations.RunPython.noop),
    ]
