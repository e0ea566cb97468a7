"""The content model: stories and what they are made of, one concept per module."""

from .corrections import Correction, CorrectionQuerySet
from .editing import EditConflict, EditSession
from .live import LiveEntry, LiveEntryQuerySet
from .partners import PartnerFeed, PartnerLink, PartnerLinkQuerySet
from .people import Newsmaker, Source
from .photos import Photo, PhotoQuerySet, PhotoTag, Picture, Rendition, TaggedPhoto
from .previews import PreviewLink
from .quotes import Quote, QuoteQuerySet
from .readership import MostRead, StoryViews
from .revisions import RestoreError, StorySnapshot, deleted_stories, record_revision, revisions_of
from .sections import Section, SectionQuerySet
from .siteversion import SiteVersion
from .slugged import SLUG_LENGTH, SluggedModel, unique_slug
from .stories import Story, StoryQuerySet
from .tags import Tag, TaggedStory
from .workflow import (
    PUBLISH_PERMISSION,
    Action,
    State,
    Status,
    StoryTransition,
    TransitionNotAllowed,
    is_editor,
)

__all__ = [
    "PUBLISH_PERMISSION",
    "SLUG_LENGTH",
    "Action",
    "Correction",
    "CorrectionQuerySet",
    "EditConflict",
    "EditSession",
    "LiveEntry",
    "LiveEntryQuerySet",
    "MostRead",
    "Newsmaker",
    "PartnerFeed",
    "PartnerLink",
    "PartnerLinkQuerySet",
    "Photo",
    "PhotoQuerySet",
    "PhotoTag",
    "Picture",
    "PreviewLink",
    "Quote",
    "QuoteQuerySet",
    "Rendition",
    "RestoreError",
    "Section",
    "SectionQuerySet",
    "SiteVersion",
    "SluggedModel",
    "Source",
    "State",
    "Status",
    "Story",
    "StoryQuerySet",
    "StorySnapshot",
    "StoryTransition",
    "StoryViews",
    "Tag",
    "TaggedPhoto",
    "TaggedStory",
    "TransitionNotAllowed",
    "deleted_stories",
    "is_editor",
    "record_revision",
    "revisions_of",
    "unique_slug",
]
