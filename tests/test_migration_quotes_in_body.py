"""Migration 0012: every quote's paragraph position becomes a reference block at the same place
in its story's body, so existing stories read exactly as before (and back again)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("articles", "0011_roles_for_partners_and_live")]
AFTER = [("articles", "0012_quotes_in_body")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def story_body(client, url):
    html = client.get(url).content.decode()
    return html[html.index('<div class="story-body">') : html.index("</article>")]


@pytest.mark.django_db(transaction=True)
def test_quote_positions_become_references_in_the_same_place(client):
    apps = migrate(BEFORE)
    try:
        Section = apps.get_model("articles", "Section")
        Story = apps.get_model("articles", "Story")
        Quote = apps.get_model("articles", "Quote")
        Newsmaker = apps.get_model("articles", "Newsmaker")
        section = Section.objects.create(name="Политика", slug="politika")
        speaker = Newsmaker.objects.create(name="Дана Касымова", slug="dana-kasymova")
        story = Story.objects.create(
            headline="Старая новость",
            slug="staraya-novost",
            section=section,
            status="published",
            published_at=timezone.now() - timezone.timedelta(hours=1),
            body="<p>Один.</p><p>Два.</p><ul><li>Пункт.</li></ul><p>Три.</p>",
        )
        untouched = Story.objects.create(
            headline="Без цитат", slug="bez-tsitat", section=section, body="<p>Текст.</p>"
        )
        for text, position in [
            ("После второго.", 2),
            ("В начале.", 0),
            ("Тоже после второго.", 2),
            ("В самом конце.", 99),
        ]:
            Quote.objects.create(story=story, text=text, position=position, speaker=speaker)
        # How the page read them: after ``position`` blocks, ties in the order written.
        before = [
            "В начале.", "Один.", "Два.", "После второго.", "Тоже после второго.", "Пункт.",
            "Три.", "В самом конце.",
        ]  # fmt: skip

        apps = migrate(AFTER)
        body = apps.get_model("articles", "Story").objects.get(pk=story.pk).body
        assert body.count('data-embed="quote"') == 4
        assert all(apps.get_model("articles", "Quote").objects.values_list("placed", flat=True))
        assert apps.get_model("articles", "Story").objects.get(pk=untouched.pk).body == (
            "<p>Текст.</p>"
        )

        # And back: the references are positions again, the body as it was.
        apps = migrate(BEFORE)
        Quote = apps.get_model("articles", "Quote")
        Story = apps.get_model("articles", "Story")
        assert Story.objects.get(pk=story.pk).body == (
            "<p>Один.</p>\n<p>Два.</p>\n<ul><li>Пункт.</li></ul>\n<p>Три.</p>"
        )
        assert sorted(Quote.objects.values_list("text", "position")) == sorted(
            [
                ("После второго.", 2),
                ("В начале.", 0),
                ("Тоже после второго.", 2),
                ("В самом конце.", 4),
            ]
        )

        # Forward again, to today's schema: the page reads as it did before the migration.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        from articles.models import Story as CurrentStory

        migrated = CurrentStory.objects.get(pk=story.pk)
        page = story_body(client, migrated.get_absolute_url())
        positions = [page.index(text) for text in before]
        assert positions == sorted(positions), page
        assert page.count('<figure class="quote"') == 4
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
