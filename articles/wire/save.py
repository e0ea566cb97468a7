"""Saving an import plan: the story, its quotes, and whatever is new, in one transaction."""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Newsmaker, Photo, Quote, Section, Source, State, Story
from ..richtext import insert_embeds
from ..slugs import ascii_slugify


@dataclass
class ImportResult:
    story: Story
    created: bool
    matched: list = field(default_factory=list)  # existing newsmakers quoted
    new_newsmakers: list = field(default_factory=list)
    new_sources: list = field(default_factory=list)
    unidentified: list = field(default_factory=list)  # (attribution, why) for quotes left without
    new_section: bool = False


@transaction.atomic
def save_plan(plan):
    """Create the story the plan describes; every row it needs is created here or not at all."""
    section, new_section = plan.section, False
    if section is None:
        section, new_section = Section.objects.create(name=plan.new_section), True
    story = Story(
        headline=plan.wire.headline,
        lede=plan.wire.lede,
        body=plan.body_html,
        section=section,
        status=plan.status,
        published_at=plan.published_at,
        featured=plan.featured,
        import_ref=plan.wire.import_ref,
    )
    if plan.image is not None:
        # The checked picture (resolve.py), named after the story, into the photo library.
        name = f"{ascii_slugify(story.headline, max_length=60) or 'story'}"
        extension = PurePath(plan.image.name or "").suffix.lower() or ".jpg"
        plan.image.name = name + extension
        photo = Photo(
            file=plan.image,
            alt=plan.image_alt,
            caption=plan.image_caption,
            credit=plan.image_credit,
        )
        try:
            photo.save()
        except BaseException:
            photo.file.delete(save=False)
            raise
        story.photo = photo
    story.save()
    # A story imported as published or scheduled went there from nothing: its history says so.
    story.record_state_change(State.DRAFT, comment=_("Imported from wire copy."))
    story.authors.add(*plan.authors)
    if plan.tags:
        story.tags.add(*plan.tags)
    story.related.add(*plan.related)
    result = ImportResult(story, created=True, new_section=new_section)
    sources = {}
    for key, value in plan.sources.items():
        if not isinstance(value, Source):
            value = Source.objects.create(name=value)
            result.new_sources.append(value)
        sources[key] = value
    story.sources.add(*sources.values())
    _save_quotes(story, plan, sources, result)
    return result


def _save_quotes(story, plan, sources, result):
    """One Quote per planned quote, referred to in the body ``position`` paragraphs in, as the
    editor places them."""
    created, placements = {}, []
    for planned in plan.quotes:
        speaker = _newsmaker(planned.speaker, created, result)
        if planned.speaker.note:
            result.unidentified.append((planned.speaker.attribution, planned.speaker.note))
        source = sources.get(planned.source_name.casefold()) if planned.source_name else None
        quote = Quote.objects.create(
            story=story,
            text=planned.text,
            speaker=speaker,
            role=planned.role if speaker else "",
            context=planned.context,
            source=source,
            said_on=plan.said_on,
        )
        placements.append((planned.position, "quote", quote.pk))
    if placements:
        story.body = insert_embeds(story.body, placements)
        story.save(update_fields=["body"])


def _newsmaker(speaker, created, result):
    if speaker.newsmaker is not None:
        if speaker.newsmaker not in result.matched:
            result.matched.append(speaker.newsmaker)
        return speaker.newsmaker
    if not speaker.new_name:
        return None
    key = speaker.new_name.casefold()
    if key not in created:
        created[key] = Newsmaker.objects.create(name=speaker.new_name, role=speaker.new_role)
        result.new_newsmakers.append(created[key])
    return created[key]
