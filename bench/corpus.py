"""A reproducible corpus of realistic stories for benchmarks, written with bulk inserts.

``generate(count, seed=1)`` fills the current database with ``count`` stories in sections, by
reporters, with tags, newsmakers, 0–10 quotes each and «Напомним» links to earlier stories, plus
a few drafts and scheduled stories. The text is Russian made from the word lists in
``corpus.json``, inflected with pymorphy3 so that words come in every grammatical case, as in real
copy; a few Kazakh phrases and invented surnames give search rare words to find. The same seed
gives the same corpus. 100,000 stories take a few minutes on two cores.

    DATABASE_URL=postgres://… python bench/corpus.py --stories 100000 [--seed 1]
"""

import argparse
import functools
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = json.loads((Path(__file__).with_name("corpus.json")).read_text())
BATCH = 2000
DRAFT_SHARE = 0.03  # drafts and stories in review
SCHEDULED_SHARE = 0.01
YEARS = 3  # published stories are spread over this many years


@functools.cache
def _parse(word):
    from articles.morphology import analyzer

    return analyzer().parse(word)[0]


@functools.cache
def inflect(phrase, *grammemes):
    """``phrase`` (nouns, adjectives) put into ``grammemes``, e.g. ``("gent", "plur")``."""
    words = []
    for word in phrase.split():
        form = _parse(word.lower()).inflect(set(grammemes))
        inflected = form.word if form else word.lower()
        words.append(inflected.capitalize() if word[0].isupper() else inflected)
    return " ".join(words)


@functools.cache
def agree(adjective, noun, *grammemes):
    """An adjective and a noun in the same case, number and gender."""
    tag = _parse(noun).tag
    extra = {tag.gender} if tag.gender and "plur" not in grammemes else set()
    if "accs" in grammemes and tag.animacy:
        extra.add(tag.animacy)
    adjective = _parse(adjective)
    form = (
        adjective.inflect({*grammemes, *extra})
        or adjective.inflect({*grammemes, tag.gender} - {None})
        or adjective.inflect(set(grammemes))
    )
    return f"{form.word if form else adjective} {inflect(noun, *grammemes)}"


class Writer:
    """Sentences, headlines and quotes drawn from the word lists with one random generator."""

    def __init__(self, rng):
        self.rng = rng
        self.surnames = sorted(
            {
                root + ending
                for root in WORDS["surname_roots"]
                for ending in WORDS["surname_endings"]
            }
        )

    def pick(self, key):
        return self.rng.choice(WORDS[key])

    def person(self):
        return f"{self.pick('first_names')} {self.rng.choice(self.surnames)}"

    def _thing(self, *grammemes):
        return agree(self.pick("adjectives"), self.pick("objects"), *grammemes)

    def sentence(self):
        r, pick = self.rng, self.pick
        subject = (
            f"{inflect(pick('subjects'), 'nomn', 'plur')} {inflect(pick('institutions'), 'gent')}"
        )
        templates = [
            lambda: (
                f"{subject} {pick('verbs')} {self._thing('accs')} "
                f"в сфере {inflect(pick('topics'), 'gent')}."
            ),
            lambda: f"Об этом сообщает пресс-служба {inflect(pick('institutions'), 'gent')}.",
            lambda: (
                f"Эксперты ожидают роста {inflect(pick('topics'), 'gent')} "
                f"в {inflect(pick('places'), 'loct')} уже в {r.randint(2025, 2030)} году."
            ),
            lambda: (
                f"Сумма {inflect(pick('objects'), 'gent', 'plur')} составила "
                f"{r.randint(2, 900)} миллиардов тенге."
            ),
            lambda: (
                f"Решение касается {r.randint(2, 99)} тысяч жителей "
                f"{inflect(pick('places'), 'gent')}."
            ),
            lambda: (
                f"{r.choice(self.surnames)} встретился с "
                f"{inflect(pick('subjects'), 'ablt', 'plur')} "
                f"{inflect(pick('institutions'), 'gent')}."
            ),
            lambda: (
                f"Средства направят {inflect(pick('subjects'), 'datv', 'plur')} "
                f"{inflect(pick('places'), 'gent')} и {inflect(pick('subjects'), 'datv', 'plur')}."
            ),
            lambda: (
                f"Число {inflect(pick('objects'), 'gent', 'plur')} за год выросло "
                f"на {r.randint(2, 60)} процентов."
            ),
            lambda: (
                f"Проект «{pick('kazakh_phrases')}» обсудят в {inflect(pick('places'), 'loct')}."
            ),
            lambda: f"Документ зарегистрирован под номером {r.randint(10000, 99999)}.",
        ]
        sentence = r.choice(templates)()
        return sentence[0].upper() + sentence[1:]

    def headline(self):
        r, pick = self.rng, self.pick
        place = inflect(pick("places"), "loct")
        subject = inflect(pick("subjects"), "nomn", "plur")
        return r.choice(
            [
                f"В {place} {subject} {pick('verbs')} {self._thing('accs')}",
                f"{subject.capitalize()} {pick('verbs')} {inflect(pick('objects'), 'accs')} "
                f"{inflect(pick('topics'), 'gent')} в {place}",
                f"{r.choice(self.surnames)}: {inflect(pick('topics'), 'nomn')} "
                f"{inflect(pick('places'), 'gent')} ждёт перемен",
            ]
        )

    def body(self):
        paragraphs = [
            " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))
            for _ in range(self.rng.randint(2, 6))
        ]
        return "".join(f"<p>{p}</p>" for p in paragraphs)

    def quote(self):
        pick = self.pick
        return (
            f"{pick('quote_openings')} {inflect(pick('topics'), 'gent')} и "
            f"{self._thing('gent')} в {inflect(pick('places'), 'loct')}."
        )


def generate(count, seed=1, now=None, stdout=sys.stdout):
    """Write ``count`` stories (and what they need) into the current database; returns them
    as a list of ids. Needs a migrated database; adds to what is there."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from articles import search
    from articles.models import Newsmaker, Quote, Section, Story, Tag, TaggedStory
    from articles.richtext import insert_embeds, plain_text
    from articles.slugs import ascii_slugify

    rng = random.Random(seed)
    writer = Writer(rng)
    now = now or timezone.now()
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    run = f"{seed}-{rng.randrange(16**6):06x}"  # keeps slugs and usernames unique per run

    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=f"{name} {run}", slug=f"{ascii_slugify(name)}-{run}", position=i)
            for i, name in enumerate(WORDS["sections"])
        )
        password = make_password(None)
        reporters = get_user_model().objects.bulk_create(
            get_user_model()(username=f"reporter-{run}-{i}", password=password, is_staff=True)
            for i in range(20)
        )
        tag_names = dict.fromkeys(WORDS["tags"] + WORDS["places"])
        tags = Tag.objects.bulk_create(
            Tag(name=f"{name} {run}", slug=f"{ascii_slugify(name)}-{run}") for name in tag_names
        )
        newsmakers = Newsmaker.objects.bulk_create(
            Newsmaker(
                name=writer.person(),
                slug=f"newsmaker-{run}-{i}",
                role=f"{writer.pick('subjects').capitalize()} "
                f"{inflect(writer.pick('institutions'), 'gent')}",
            )
            for i in range(200)
        )

    story_ids = []
    span = YEARS * 365 * 24 * 3600
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        stories, quotes = [], []
        for _ in range(size):
            headline = writer.headline()
            lede = writer.sentence()
            body = writer.body()
            roll = rng.random()
            if roll < DRAFT_SHARE:
                status, published_at = rng.choice(["draft", "review"]), None
            elif roll < DRAFT_SHARE + SCHEDULED_SHARE:
                status = "published"
                published_at = now + timedelta(seconds=rng.randint(600, 7 * 24 * 3600))
            else:
                status = "published"
                published_at = now - timedelta(seconds=rng.randint(60, span))
            said = [
                (
                    writer.quote(),
                    rng.choice(newsmakers),
                    f"{writer.pick('quote_verbs')} на встрече в "
                    f"{inflect(writer.pick('places'), 'loct')}",
                )
                for _ in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 6, 10]))
            ]
            quotes.append(said)
            quotes_text = "\n".join(f"{speaker.name} {text}" for text, speaker, _context in said)
            fields = (headline, lede, plain_text(body), quotes_text)
            stories.append(
                Story(
                    headline=headline,
                    slug=ascii_slugify(headline, max_length=80) or "story",
                    lede=lede,
                    body=body,
                    section=rng.choice(sections),
                    status=status,
                    published_at=published_at,
                    search_vector=search.tsvector(*fields) if postgres else None,
                    search_title=search.tsvector(headline, lede) if postgres else None,
                    search_document="" if postgres else search.text_document(*fields),
                )
            )
        with transaction.atomic():
            created = Story.objects.bulk_create(stories)
            ids = [story.pk for story in created]
            Story.authors.through.objects.bulk_create(
                Story.authors.through(story_id=pk, user_id=reporter.pk)
                for pk in ids
                for reporter in rng.sample(reporters, rng.choice([1, 1, 1, 2]))
            )
            TaggedStory.objects.bulk_create(
                TaggedStory(content_object_id=pk, tag_id=tag.pk)
                for pk in ids
                for tag in rng.sample(tags, rng.randint(0, 4))
            )
            made = Quote.objects.bulk_create(
                Quote(
                    story_id=pk,
                    text=text,
                    speaker=speaker,
                    context=context,
                    placed=True,
                    search_vector=search.tsvector(text, context) if postgres else None,
                    search_document="" if postgres else search.text_document(text, context, ""),
                )
                for pk, said in zip(ids, quotes, strict=True)
                for text, speaker, context in said
            )
            # Each quote stands in its story's text, after as many paragraphs as quotes before it.
            placements = {}
            for quote in made:
                at = placements.setdefault(quote.story_id, [])
                at.append((len(at), "quote", quote.pk))
            quoted = [story for story in created if story.pk in placements]
            for story in quoted:
                story.body = insert_embeds(story.body, placements[story.pk])
            Story.objects.bulk_update(quoted, ["body"], batch_size=500)
            earlier = story_ids[-5000:]
            if earlier:
                Story.related.through.objects.bulk_create(
                    (
                        Story.related.through(from_story_id=pk, to_story_id=other)
                        for pk in ids
                        for other in set(rng.sample(earlier, min(len(earlier), rng.randint(0, 3))))
                    ),
                    ignore_conflicts=True,
                )
        story_ids.extend(ids)
        stdout.write(f"\r{len(story_ids)} stories, {time.perf_counter() - started:.0f} s")
        stdout.flush()
    stdout.write("\n")
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return story_ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.stories, seed=args.seed)


if __name__ == "__main__":
    main()
