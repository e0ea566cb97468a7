"""Resolving a read story against the site: section, authors, sources, related stories, speakers.

``plan_import`` only reads the database; it returns an ``ImportPlan`` that says what to create
and what to link, or raises ``WireImportError`` with a message an editor can act on.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import imaging
from ..models import Section, Source, Story
from ..richtext import text_to_html
from .errors import WireImportError
from .read import WireStory
from .speakers import CONTEXT_MAX_LENGTH, ROLE_MAX_LENGTH, Speaker, SpeakerResolver

SECTION_NAME_MAX_LENGTH = Section._meta.get_field("name").max_length


@dataclass
class PlannedQuote:
    text: str
    speaker: Speaker
    position: int
    source_name: str | None = None

    @property
    def context(self):
        return _shortened(self.speaker.context, CONTEXT_MAX_LENGTH)

    @property
    def role(self):
        return _shortened(self.speaker.role, ROLE_MAX_LENGTH)


def _shortened(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class ImportPlan:
    """Everything the saving step needs: existing rows to link, names of rows to create."""

    wire: WireStory
    section: Section | None
    new_section: str = ""
    status: str = Story.Status.DRAFT
    published_at: datetime | None = None
    featured: bool = False
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    related: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # folded name -> Source, or the name to create
    quotes: list = field(default_factory=list)
    image: File | None = None
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    said_on: date | None = None

    @property
    def body_html(self):
        return text_to_html("\n\n".join(self.wire.body_paragraphs))


def default_section():
    """The section stories go to when none is named: the first one in the navigation."""
    return Section.objects.order_by("position", "name").first()


def find_section(name_or_slug):
    """The section with this slug, or this name ignoring case; None when there is none."""
    wanted = name_or_slug.strip()
    if section := Section.objects.filter(slug=wanted).first():
        return section
    return next((s for s in Section.objects.all() if s.name.casefold() == wanted.casefold()), None)


def unknown_section_message(name):
    known = ", ".join(Section.objects.values_list("slug", flat=True))
    if not known:
        return _(
            "There are no sections yet, so there is no section %(name)r: pass --create-section "
            "to create it, or create sections in the admin."
        ) % {"name": name}
    return _(
        "Unknown section %(name)r; sections: %(known)s. Pass --create-section to create it."
    ) % {"name": name, "known": known}


def plan_import(
    wire,
    *,
    section=None,
    create_section=False,
    authors=(),
    publish=False,
    now=None,
    image=None,
    image_alt="",
    image_credit="",
    base_dir=None,
    said_on=None,
):
    """How to save ``wire``. The front matter wins over the arguments, which are defaults.

    ``image`` is a file to use when the front matter names none (``image`` there is a file
    beside the text, in ``base_dir``); ``said_on`` dates every quote.
    """
    now = now or timezone.now()
    front = wire.front
    plan = ImportPlan(wire=wire, section=None)
    _place(plan, front.section or section, create_section)
    plan.status = front.status or (Story.Status.PUBLISHED if publish else Story.Status.DRAFT)
    if isinstance(front.published, timedelta):
        plan.published_at = (now + front.published).replace(second=0, microsecond=0)
    else:
        plan.published_at = front.published
    if plan.status == Story.Status.PUBLISHED and plan.published_at is None:
        plan.published_at = now
    plan.featured = bool(front.featured)
    plan.authors = _authors([*authors, *front.authors])
    plan.tags = list(front.tags)
    plan.related = _related(front.related)
    plan.sources = _sources(wire.source_names)
    plan.image = _image(front.image, base_dir) if front.image else _checked(image)
    plan.image_alt = front.image_alt or image_alt
    plan.image_caption = front.image_caption
    plan.image_credit = front.image_credit or image_credit
    if plan.image is not None and not plan.image_alt.strip():
        raise WireImportError(
            _("The story has an image but no image-alt: describe it for readers who cannot see it.")
        )
    plan.said_on = said_on
    speakers = SpeakerResolver(wire).resolve()
    plan.quotes = [
        PlannedQuote(q.text, s, q.position, q.source_name)
        for q, s in zip(wire.quotes, speakers, strict=True)
    ]
    return plan


def _place(plan, section, create):
    if isinstance(section, Section):
        plan.section = section
        return
    if section is None:
        plan.section = default_section()
        if plan.section is None:
            raise WireImportError(
                _(
                    "There are no sections yet: pass --section NAME --create-section to create "
                    "one, or create sections in the admin."
                )
            )
        return
    plan.section = find_section(section)
    if plan.section is None:
        if not create:
            raise WireImportError(unknown_section_message(section))
        if len(section) > SECTION_NAME_MAX_LENGTH:
            raise WireImportError(
                _("A section name has at most %(max)d characters.")
                % {"max": SECTION_NAME_MAX_LENGTH}
            )
        plan.new_section = section.strip()


def _authors(usernames):
    users, found = get_user_model()._default_manager, []
    for username in dict.fromkeys(usernames):
        if not isinstance(username, str):
            found.append(username)  # already a user
            continue
        try:
            found.append(users.get_by_natural_key(username))
        except users.model.DoesNotExist:
            raise WireImportError(
                _("Unknown user %(username)r.") % {"username": username}
            ) from None
    return found


def _related(references):
    """Stories named by their import reference («demo:kostanay-harvest») or their number."""
    stories = []
    for reference in references:
        story = Story.objects.filter(import_ref=reference).first()
        if story is None and reference.isdigit() and len(reference) < 19:
            story = Story.objects.filter(pk=int(reference)).first()
        if story is None:
            raise WireImportError(
                _("Related story %(ref)r is not on the site.") % {"ref": reference}
            )
        stories.append(story)
    return stories


def _sources(names):
    existing = {}
    wanted = {name.casefold(): name for name in names}
    if wanted:
        # SQLite folds only ASCII case, so names of the right length are compared here.
        lengths = {len(name) for name in names}
        candidates = Source.objects.annotate(length=Length("name")).filter(length__in=lengths)
        for source in candidates:
            if source.name.casefold() in wanted:
                existing[source.name.casefold()] = source
    return {key: existing.get(key, name) for key, name in wanted.items()}


def _image(reference, base_dir):
    """The image file a front matter names, beside the text file and nowhere else."""
    if not reference:
        return None
    if base_dir is None:
        raise WireImportError(_("The front matter names an image, but the text is not a file."))
    base = Path(base_dir).resolve()
    path = (base / reference).resolve()
    if not path.is_relative_to(base):
        raise WireImportError(
            _("The image %(image)r must be in the text file's folder.") % {"image": reference}
        )
    try:
        with path.open("rb") as file:
            return _checked(File(file, name=path.name), reference)
    except FileNotFoundError:
        raise WireImportError(_("No such image: %(image)s") % {"image": reference}) from None
    except IsADirectoryError:
        raise WireImportError(
            _("%(image)s is not an image the site can show.") % {"image": reference}
        ) from None


def _checked(file, reference=None):
    """The picture to store from ``file``, checked as uploads are (``imaging.check_upload``)."""
    if file is None:
        return None
    try:
        return imaging.check_upload(file).content
    except ValidationError as error:
        raise WireImportError(
            _("%(image)s is not an image the site can show: %(reason)s")
            % {"image": reference or file.name, "reason": " ".join(error.messages)}
        ) from None
