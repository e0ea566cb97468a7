"""``manage.py import_story PATH...``: plain-text wire stories become draft (or published) stories.

Each file is imported in its own transaction: a refused file leaves nothing behind and the
others are kept. One line per file says what happened; the exit status is non-zero when any
file was refused.
"""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.wire import WireImportError, WireParseError, find_section, import_story
from articles.wire.resolve import unknown_section_message


def public_url(story):
    """The story's address on the public site (drafts open there for staff)."""
    return settings.SITE_URL + story.get_absolute_url()


def admin_url(story):
    return settings.SITE_URL + reverse("admin:articles_story_change", args=[story.pk])


class Command(BaseCommand):
    help = gettext_lazy(
        "Import plain-text wire stories (UTF-8 or Windows-1251): headline, lede, body, quotes "
        "with their speakers, and sources. Give files, or folders to import every .txt file "
        "in them. Importing the same text again changes nothing."
    )
    # Long runs say how far they are every this many files.
    PROGRESS_EVERY = 20

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            metavar="PATH",
            help=gettext_lazy("A text file, or a folder whose .txt files to import."),
        )
        parser.add_argument(
            "--section",
            metavar="NAME",
            help=gettext_lazy(
                "Section slug or name for texts whose front matter names none; by default the "
                "first section of the navigation."
            ),
        )
        parser.add_argument(
            "--create-section",
            action="store_true",
            help=gettext_lazy(
                "Create the section named by --section or by a file's front matter when there is "
                "none of that name."
            ),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=gettext_lazy("Publish the stories now instead of leaving drafts."),
        )
        parser.add_argument(
            "--author", metavar="USERNAME", help=gettext_lazy("Add this user as an author.")
        )

    def handle(self, *args, paths, section=None, create_section=False, publish=False, **options):
        if section is not None and not create_section and find_section(section) is None:
            raise CommandError(unknown_section_message(section))
        author = self._author(options["author"]) if options.get("author") else None
        files = self._files(paths)
        counts = {"imported": 0, "existing": 0, "refused": 0}
        refusals, started = [], time.monotonic()
        for number, (path, problem) in enumerate(files, start=1):
            prefix = f"[{number}/{len(files)}] " if len(files) > 1 else ""
            try:
                if problem:
                    raise WireParseError(problem)
                result = import_story(
                    self._read(path),
                    section=section,
                    create_section=create_section,
                    authors=[author] if author else [],
                    publish=publish,
                    base_dir=path.parent,
                )
            except (WireParseError, WireImportError, DatabaseError) as error:
                # Each file is its own transaction: the others stand whatever befalls this one.
                counts["refused"] += 1
                refusals.append(f"{path}: {error}")
                if len(files) > 1:
                    self.stdout.write(
                        self.style.ERROR(
                            prefix
                            + _("%(path)s: refused: %(reason)s") % {"path": path, "reason": error}
                        )
                    )
            else:
                counts["imported" if result.created else "existing"] += 1
                self._report(prefix, path, result)
            if len(files) > self.PROGRESS_EVERY and number % self.PROGRESS_EVERY == 0:
                self._progress(number, len(files), counts, started)
        if len(files) > 1:
            self.stdout.write(
                ngettext(
                    "%(total)d file: %(imported)d imported, %(existing)d already there, "
                    "%(refused)d refused.",
                    "%(total)d files: %(imported)d imported, %(existing)d already there, "
                    "%(refused)d refused.",
                    len(files),
                )
                % {"total": len(files), **counts}
            )
        if len(refusals) == 1 and len(files) == 1:
            raise CommandError(refusals[0])
        if refusals:
            raise CommandError(
                ngettext(
                    "%(refused)d of %(total)d files was refused.",
                    "%(refused)d of %(total)d files were refused.",
                    len(refusals),
                )
                % {"refused": len(refusals), "total": len(files)}
            )

    def _report(self, prefix, path, result):
        story = result.story
        values = {"path": path, "pk": story.pk, "headline": story.headline}
        if not result.created:
            self.stdout.write(
                self.style.WARNING(
                    prefix
                    + _("%(path)s: already there: story #%(pk)s, %(headline)s; nothing changed.")
                    % values
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    prefix + _("%(path)s: imported story #%(pk)s: %(headline)s") % values
                )
            )
            section = str(story.section)
            if result.new_section:
                section = _("%(section)s (new)") % {"section": section}
            self._detail(
                _("Status: %(status)s; section: %(section)s.")
                % {"status": story.get_status_display(), "section": section}
            )
            sources = ", ".join(s.name for s in story.sources.all()) or "—"
            self._detail(
                _("Quotes: %(quotes)s; sources: %(sources)s.")
                % {"quotes": story.quotes.count(), "sources": sources}
            )
            if result.matched:
                names = ", ".join(n.name for n in result.matched)
                self._detail(_("Speakers matched to newsmakers: %(names)s") % {"names": names})
            if result.new_newsmakers:
                names = ", ".join(
                    f"{n.name} ({n.role})" if n.role else n.name for n in result.new_newsmakers
                )
                self._detail(_("New newsmakers: %(names)s") % {"names": names})
            for attribution, why in result.unidentified:
                self._detail(
                    _("No speaker for «%(attribution)s»: %(why)s.")
                    % {"attribution": attribution, "why": why}
                )
        url = public_url(story)
        if story.is_published:
            self._detail(_("Public page: %(url)s") % {"url": url})
        else:
            self._detail(
                _("Public page: %(url)s (not published yet: only editors can open it)")
                % {"url": url}
            )
        self._detail(_("Edit: %(url)s") % {"url": admin_url(story)})

    def _detail(self, line):
        self.stdout.write(f"    {line}")

    def _progress(self, done, total, counts, started):
        self.stderr.write(
            ngettext(
                "Progress: %(done)d of %(total)d file in %(seconds)d s (%(imported)d imported, "
                "%(existing)d already there, %(refused)d refused).",
                "Progress: %(done)d of %(total)d files in %(seconds)d s (%(imported)d imported, "
                "%(existing)d already there, %(refused)d refused).",
                total,
            )
            % {
                "done": done,
                "total": total,
                "seconds": time.monotonic() - started,
                **counts,
            }
        )

    def _files(self, paths):
        """``(path, problem)`` for each file to import, in order, each once."""
        files, seen = [], set()
        for path in paths:
            if path.is_dir():
                texts = sorted(
                    (p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt"),
                    key=lambda p: p.name,
                )
                if not texts:
                    files.append((path, _("The folder has no .txt files.")))
                for text in texts:
                    if text.resolve() not in seen:
                        seen.add(text.resolve())
                        files.append((text, None))
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                problem = None if path.exists() else _("No such file: %(path)s") % {"path": path}
                files.append((path, problem))
        return files

    def _read(self, path):
        try:
            return path.read_bytes()
        except IsADirectoryError:
            raise WireParseError(_("Not a file: %(path)s") % {"path": path}) from None
        except OSError as error:
            raise WireParseError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None

    def _author(self, username):
        users = get_user_model()._default_manager
        try:
            return users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            raise CommandError(_("Unknown user %(username)r.") % {"username": username}) from None
