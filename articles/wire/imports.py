"""Importing one wire text: read it, resolve it against the site, save it; once per text."""

from django.db import IntegrityError, transaction

from ..models import Story
from .read import read_wire
from .resolve import plan_import
from .save import ImportResult, save_plan


def import_story(data, **options):
    """Save the wire story in ``data`` as a Story, or find the one already imported from it.

    ``options`` are those of :func:`~articles.wire.resolve.plan_import` (section, authors,
    publish...); the text's front matter wins over them. Nothing is saved when the text cannot
    be read (``WireParseError``) or placed (``WireImportError``).
    """
    wire = read_wire(data)
    if existing := Story.objects.filter(import_ref=wire.import_ref).first():
        return ImportResult(existing, created=False)
    try:
        with transaction.atomic():
            return save_plan(plan_import(wire, **options))
    except IntegrityError:
        # Imported by someone else in the meantime.
        if existing := Story.objects.filter(import_ref=wire.import_ref).first():
            return ImportResult(existing, created=False)
        raise
