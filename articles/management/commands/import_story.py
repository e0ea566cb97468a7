"""``manage.py import_story PATH``: a plain-text wire story becomes a draft (or published) story."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.importer import WireParseError, admin_url, default_section, import_story, public_url
from articles.models import Section


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a plain-text wire story (UTF-8 or Windows-1251): headline, lede, body, quotes "
        "with their speakers, and sources. Importing the same text again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=gettext_lazy("The text file to import."))
        parser.add_argument(
            "--section",
            metavar="SLUG",
            help=gettext_lazy("Section slug; by default the first section of the navigation."),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=gettext_lazy("Publish the story now instead of leaving a draft."),
        )
        parser.add_argument(
            "--author", metavar="USERNAME", help=gettext_lazy("Add this user as an author.")
        )

    def handle(self, *args, path, section=None, publish=False, author=None, **options):
        data = self._read(path)
        section = self._section(section)
        author = self._author(author) if author else None
        try:
            result = import_story(data, section=section, author=author, publish=publish)
        except WireParseError as error:
            raise CommandError(f"{path}: {error}") from error

        story = result.story
        values = {"pk": story.pk, "headline": story.headline}
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(_("Imported story #%(pk)s: %(headline)s") % values)
            )
            self.stdout.write(
                _("Status: %(status)s; section: %(section)s.")
                % {"status": story.get_status_display(), "section": story.section}
            )
            sources = ", ".join(s.name for s in story.sources.all()) or "—"
            self.stdout.write(
                _("Quotes: %(quotes)s; sources: %(sources)s.")
                % {"quotes": story.quotes.count(), "sources": sources}
            )
            if result.new_newsmakers:
                names = ", ".join(n.name for n in result.new_newsmakers)
                self.stdout.write(_("New newsmakers: %(names)s") % {"names": names})
        else:
            self.stdout.write(
                self.style.WARNING(
                    _("Already imported: story #%(pk)s, %(headline)s; nothing changed.") % values
                )
            )
        self.stdout.write(_("Public page: %(url)s") % {"url": public_url(story)})
        if not story.is_published:
            self.stdout.write(_("(not published yet: only editors can open it)"))
        self.stdout.write(_("Edit: %(url)s") % {"url": admin_url(story)})

    def _read(self, path):
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_("No such file: %(path)s") % {"path": path}) from None
        except IsADirectoryError:
            raise CommandError(_("Not a file: %(path)s") % {"path": path}) from None
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None

    def _section(self, slug):
        if slug is None:
            section = default_section()
            if section is None:
                raise CommandError(
                    _("There are no sections yet: create one in the admin or pass --section.")
                )
            return section
        try:
            return Section.objects.get(slug=slug)
        except Section.DoesNotExist:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "—"
            raise CommandError(
                _("Unknown section %(slug)r; sections: %(known)s.") % {"slug": slug, "known": known}
            ) from None

    def _author(self, username):
        users = get_user_model()._default_manager
        try:
            return users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            raise CommandError(_("Unknown user %(username)r.") % {"username": username}) from None
