"""Wire copy into stories, in three steps kept apart.

* reading (``read``): text → a plain ``WireStory`` — headline, lede, paragraphs, quotations with
  their attributions, cited sources — without the database;
* resolving (``resolve``, ``speakers``): the story against the site — section, authors, sources,
  related stories, and the newsmaker behind each quote — into an ``ImportPlan``;
* saving (``save``): the plan in one transaction.

``import_story`` runs the three; ``load_demo`` and the ``import_story`` command go through it.
"""

from .errors import WireImportError, WireParseError
from .imports import import_story
from .read import WireQuote, WireStory, read_wire
from .resolve import ImportPlan, default_section, find_section, plan_import
from .save import ImportResult, save_plan

__all__ = [
    "ImportPlan",
    "ImportResult",
    "WireImportError",
    "WireParseError",
    "WireQuote",
    "WireStory",
    "default_section",
    "find_section",
    "import_story",
    "plan_import",
    "read_wire",
    "save_plan",
]
