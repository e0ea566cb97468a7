"""The content model: stories and what they are made of, one concept per module."""

from .people import Newsmaker, Source
from .quotes import Quote, QuoteQuerySet
from .sections import Section, SectionQuerySet
from .slugged import SLUG_LENGTH, SluggedModel, unique_slug
from .stories import Story, StoryQuerySet
from .tags import Tag, TaggedStory

__all__ = [
    "SLUG_LENGTH",
    "Newsmaker",
    "Quote",
    "QuoteQuerySet",
    "Section",
    "SectionQuerySet",
    "SluggedModel",
    "Source",
    "Story",
    "StoryQuerySet",
    "Tag",
    "TaggedStory",
    "unique_slug",
]
