"""Quotes stand in the story's text: each existing quote's ``position`` (how many body blocks
came before it) becomes a reference block, ``<figure data-embed="quote" data-id="N">``, at that
place in the body, so every story reads exactly as before; then ``position`` goes, the body
being the one place that says where a quote stands. Reversible: the references become
positions again."""

from django.db import migrations, models

from articles.richtext import embed_refs, insert_embeds, split_blocks


def quotes_into_bodies(apps, schema_editor):
    db = schema_editor.connection.alias
    Story = apps.get_model("articles", "Story")
    Quote = apps.get_model("articles", "Quote")
    quotes = Quote.objects.using(db).order_by("story_id", "position", "pk")
    by_story = {}
    for story_id, pk, position in quotes.values_list("story_id", "pk", "position"):
        by_story.setdefault(story_id, []).append((position, "quote", pk))
    for story in Story.objects.using(db).filter(pk__in=by_story).only("pk", "body").iterator():
        body = insert_embeds(story.body, by_story[story.pk])
        Story.objects.using(db).filter(pk=story.pk).update(body=body)
    quotes.update(placed=True)


def bodies_into_positions(apps, schema_editor):
    db = schema_editor.connection.alias
    Story = apps.get_model("articles", "Story")
    Quote = apps.get_model("articles", "Quote")
    stories = Story.objects.using(db).filter(body__contains="data-embed").only("pk", "body")
    for story in stories.iterator():
        blocks, text = [], []
        for block in split_blocks(story.body):
            ref = embed_refs(block)
            if ref and ref[0][0] == "quote":
                Quote.objects.using(db).filter(pk=ref[0][1], story_id=story.pk).update(
                    position=len(text)
                )
            elif not ref:
                text.append(block)
        Story.objects.using(db).filter(pk=story.pk).update(body="\n".join(text))


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_roles_for_partners_and_live")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="placed",
            field=models.BooleanField(default=False, editable=False, verbose_name="in the text"),
        ),
        migrations.RunPython(quotes_into_bodies, bodies_into_positions, elidable=False),
        migrations.RemoveField(model_name="quote", name="position"),
        migrations.AlterModelOptions(
            name="quote",
            options={"ordering": ["pk"], "verbose_name": "quote", "verbose_name_plural": "quotes"},
        ),
    ]
