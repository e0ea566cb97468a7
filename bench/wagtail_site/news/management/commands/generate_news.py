"""Copy the published stories of a Newsroom database into Wagtail pages, in bulk.

The same text on both sides: each story becomes a NewsPage under one NewsIndexPage, its body
paragraphs and quotes StreamField blocks, its tags Wagtail tags. Pages are written with bulk
inserts (tree paths computed here, as treebeard would), then indexed for search.

    manage.py generate_news --source postgres://…/newsroom_bench_… [--no-index]
"""

import json
import re
import time
import uuid
from collections import defaultdict

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from taggit.models import Tag
from wagtail.models import Locale, Page, Site

from news.models import NewsIndexPage, NewsPage, NewsPageTag

BATCH = 2000
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def blocks(body, quotes):
    """StreamField data: the paragraphs, with the quotes spread among them."""
    paragraphs = PARAGRAPH.findall(body) or [body]
    data = []
    every = max(1, len(paragraphs) // (len(quotes) + 1))
    pending = list(quotes)
    for i, paragraph in enumerate(paragraphs, 1):
        data.append({"type": "paragraph", "value": f"<p>{paragraph}</p>", "id": str(uuid.uuid4())})
        if pending and i % every == 0:
            text, speaker = pending.pop(0)
            data.append(
                {
                    "type": "quote",
                    "value": {"text": text, "attribution": speaker},
                    "id": str(uuid.uuid4()),
                }
            )
    for text, speaker in pending:
        data.append(
            {
                "type": "quote",
                "value": {"text": text, "attribution": speaker},
                "id": str(uuid.uuid4()),
            }
        )
    return data


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="the Newsroom database's URL")
        parser.add_argument("--no-index", action="store_true", help="leave the search index empty")

    def handle(self, source, no_index, **options):
        started = time.perf_counter()
        with psycopg.connect(source) as src:
            stories = src.execute(
                "SELECT id, headline, slug, lede, body, published_at FROM articles_story "
                "WHERE status = 'published' AND published_at <= now() ORDER BY published_at, id"
            ).fetchall()
            quotes = defaultdict(list)
            for story_id, text, speaker in src.execute(
                "SELECT q.story_id, q.text, n.name FROM articles_quote q "
                "JOIN articles_newsmaker n ON n.id = q.speaker_id ORDER BY q.story_id, q.id"
            ):
                quotes[story_id].append((text, speaker))
            tags = defaultdict(list)
            for story_id, name in src.execute(
                "SELECT t.content_object_id, g.name FROM articles_taggedstory t "
                "JOIN articles_tag g ON g.id = t.tag_id"
            ):
                tags[story_id].append(name)

        with transaction.atomic():
            index = self.index_page()
            page_type = ContentType.objects.get_for_model(NewsPage)
            locale = Locale.get_default()
            tag_ids = {
                tag.name: tag.pk
                for tag in Tag.objects.bulk_create(
                    [
                        Tag(name=name, slug=f"t{i}")
                        for i, name in enumerate(
                            sorted({n for names in tags.values() for n in names})
                        )
                    ]
                )
            }
            step = 0
            for start in range(0, len(stories), BATCH):
                rows = stories[start : start + BATCH]
                pages = []
                for story_id, headline, slug, _lede, _body, published_at in rows:
                    step += 1
                    page_slug = f"{story_id}-{slug}"[:255]
                    pages.append(
                        Page(
                            title=headline,
                            draft_title=headline,
                            slug=page_slug,
                            content_type=page_type,
                            path=Page._get_path(index.path, index.depth + 1, step),
                            depth=index.depth + 1,
                            numchild=0,
                            url_path=f"{index.url_path}{page_slug}/",
                            live=True,
                            has_unpublished_changes=False,
                            first_published_at=published_at,
                            last_published_at=published_at,
                            locale=locale,
                            translation_key=uuid.uuid4(),
                        )
                    )
                created = Page.objects.bulk_create(pages)
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {NewsPage._meta.db_table} (page_ptr_id, intro, body) "
                        "VALUES (%s, %s, %s::jsonb)",
                        [
                            (page.pk, lede, json.dumps(blocks(body, quotes[story_id])))
                            for page, (story_id, _h, _s, lede, body, _p) in zip(
                                created, rows, strict=True
                            )
                        ],
                    )
                NewsPageTag.objects.bulk_create(
                    NewsPageTag(content_object_id=page.pk, tag_id=tag_ids[name])
                    for page, row in zip(created, rows, strict=True)
                    for name in tags[row[0]]
                )
                self.stdout.write(
                    f"\r{step} pages, {time.perf_counter() - started:.0f} s", ending=""
                )
                self.stdout.flush()
            Page.objects.filter(pk=index.pk).update(numchild=step)
        self.stdout.write("")
        if not no_index:
            call_command("update_index", verbosity=0)
            self.stdout.write(f"indexed, {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def index_page(self):
        """The site's home: a NewsIndexPage in place of Wagtail's welcome page."""
        root = Page.get_first_root_node()
        for page in root.get_children().exclude(content_type__model="newsindexpage"):
            page.delete()
        root.refresh_from_db()
        index = NewsIndexPage.objects.first()
        if index is None:
            index = root.add_child(instance=NewsIndexPage(title="Новости", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": index},
        )
        return index
