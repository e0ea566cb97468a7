"""``import_story`` as editors run it: fresh sites, sections, several files, front matter."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from accounts.models import AuditEvent
from articles.models import Newsmaker, Photo, Section, Source, Story

from .images import bomb_png, picture_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
BATCH = FIXTURES / "batch"
STORY = FIXTURES / "speakers-full-name-genitive.txt"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_story", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(BATCH, folder)
    return folder


# --- A fresh site ------------------------------------------------------------------------------


def test_fresh_site_imports_into_a_section_created_on_request(db):
    out, _err = run(STORY, "--section", "Политика", "--create-section")

    story = Story.objects.get()
    assert story.section.name == "Политика"
    assert story.section.slug == "politika"
    assert "section: Политика (new)." in out


def test_fresh_site_without_create_section_says_what_works_and_writes_nothing(db):
    with pytest.raises(CommandError, match="pass --create-section to create it"):
        run(STORY, "--section", "Политика")

    assert not Story.objects.exists()
    assert not Section.objects.exists()
    assert not Newsmaker.objects.exists()


def test_fresh_site_without_any_section_option_says_what_works(db):
    with pytest.raises(CommandError, match="pass --section NAME --create-section"):
        run(STORY)

    assert not Story.objects.exists()


def test_section_is_found_by_its_name_in_any_letter_case(section):
    run(STORY, "--section", "ПОЛИТИКА")

    assert Story.objects.get().section == section
    assert Section.objects.count() == 1


def test_create_section_reuses_a_section_that_exists(section):
    run(STORY, "--section", "политика", "--create-section")

    assert Story.objects.get().section == section
    assert Section.objects.count() == 1


def test_unknown_section_lists_the_sections_there_are(section):
    with pytest.raises(CommandError, match=r"Unknown section 'Спорт'; sections: politika\."):
        run(STORY, "--section", "Спорт")


def test_printed_address_is_the_site_url(section, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"

    out, _err = run(STORY)

    story = Story.objects.get()
    assert f"Public page: http://127.0.0.1:8101{story.get_absolute_url()} (not published" in out
    assert f"Edit: http://127.0.0.1:8101/admin/articles/story/{story.pk}/change/" in out


# --- Several files -----------------------------------------------------------------------------


def test_folder_and_files_import_every_text_and_refuse_the_bad_ones(section, batch):
    with pytest.raises(CommandError, match="2 of 5 files were refused"):
        run(batch, "--create-section")

    assert sorted(Story.objects.values_list("headline", flat=True)) == [
        "В Павлодаре открылась детская библиотека",
        "Маслихат утвердил бюджет города на три года",
        "Через Иртыш построят второй мост",
    ]


def test_one_line_per_file_says_what_happened(section, batch, capsys):
    with pytest.raises(CommandError):
        call_command("import_story", str(batch), "--create-section")

    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert [line.split(": ", 1)[1].split(" ", 2)[:2] for line in lines] == [
        ["imported", "story"],
        ["imported", "story"],
        ["refused:", "The"],
        ["refused:", "Unknown"],
        ["imported", "story"],
    ]
    assert lines[0].startswith(f"[1/5] {batch / '01-budget-hearing.txt'}: imported story #")
    assert "[3/5]" in lines[2] and "shapeless" in lines[2]
    assert "secton" in lines[3]


def test_files_that_are_not_text_in_a_folder_are_left_alone(section, batch):
    (batch / "03-shapeless.txt").unlink()
    (batch / "04-unknown-key.txt").unlink()

    out, _err = run(batch, "--create-section")

    assert "notes.md" not in out
    assert "3 files: 3 imported, 0 already there, 0 refused." in out


def test_a_file_given_twice_is_imported_once(section, batch):
    path = batch / "05-library.txt"

    out, _err = run(path, path, batch / ".." / "batch" / "05-library.txt")

    assert Story.objects.count() == 1
    assert "imported story" in out


def test_already_imported_files_say_so_and_change_nothing(section, batch):
    path = batch / "05-library.txt"
    run(path)
    counts = (Story.objects.count(), Newsmaker.objects.count())

    out, _err = run(path, batch / "01-budget-hearing.txt")

    assert f"{path}: already there: story #" in out
    assert "2 files: 1 imported, 1 already there, 0 refused." in out
    assert (Story.objects.count(), Newsmaker.objects.count()) == (counts[0] + 1, counts[1] + 1)


def test_missing_path_is_refused_and_the_rest_imported(section, batch, tmp_path):
    with pytest.raises(CommandError, match="1 of 2 files was refused"):
        run(tmp_path / "missing.txt", batch / "05-library.txt")

    assert Story.objects.count() == 1


def test_refused_file_leaves_nothing_behind(section, tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes((BATCH / "05-library.txt").read_bytes())
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "---\nsection: Новый раздел\nauthors: nobody\n---\n"
        + (BATCH / "01-budget-hearing.txt").read_text()
    )

    with pytest.raises(CommandError, match="1 of 2 files was refused"):
        run(bad, good, "--create-section")

    assert list(Story.objects.values_list("headline", flat=True)) == [
        "В Павлодаре открылась детская библиотека"
    ]
    assert list(Newsmaker.objects.values_list("name", flat=True)) == ["Сауле Каримова"]
    assert list(Section.objects.all()) == [section]
    assert not Source.objects.exists()


def test_long_runs_show_progress(section, tmp_path, monkeypatch):
    from articles.management.commands.import_story import Command

    monkeypatch.setattr(Command, "PROGRESS_EVERY", 2)
    text = (BATCH / "05-library.txt").read_text()
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(text.replace("тридцати", f"{n + 30} тысяч и"))

    _out, err = run(tmp_path)

    assert err.splitlines()[0].startswith("Progress: 2 of 5 files in ")
    assert err.splitlines()[1].startswith("Progress: 4 of 5 files in ")
    assert err.splitlines()[1].endswith("(4 imported, 0 already there, 0 refused).")


def test_folder_without_texts_is_refused(section, tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")

    with pytest.raises(CommandError, match=r"The folder has no \.txt files"):
        run(tmp_path)


# --- Front matter ------------------------------------------------------------------------------


def test_front_matter_places_and_publishes_the_story(section, batch):
    run(batch / "02-new-bridge.txt", "--create-section")

    story = Story.objects.get()
    assert story.section.name == "Регионы"
    assert story.is_published
    assert sorted(story.tags.names()) == ["Иртыш", "мосты"]
    # The history and the audit log say how it got there.
    transition = story.transitions.get()
    assert (transition.source, transition.target) == ("draft", "published")
    assert transition.comment
    assert AuditEvent.objects.filter(action="published").exists()


def test_import_as_draft_records_no_transition(section, batch):
    run(batch / "05-library.txt")

    story = Story.objects.get()
    assert not story.is_published
    assert not story.transitions.exists()


def test_front_matter_section_unknown_without_create_section_is_refused(section, batch):
    with pytest.raises(CommandError, match="Unknown section 'Регионы'"):
        run(batch / "02-new-bridge.txt")

    assert not Story.objects.exists()


def test_unknown_front_matter_key_is_refused_with_its_line(section, batch):
    with pytest.raises(CommandError, match="Unknown front matter key “secton” on line 2"):
        run(batch / "04-unknown-key.txt")


def test_front_matter_image_beside_the_text_becomes_the_main_image(section, tmp_path):
    Image.new("RGB", (40, 30), "teal").save(tmp_path / "photo.png")
    (tmp_path / "story.txt").write_text(
        "---\nimage: photo.png\nimage-alt: Мост через Иртыш\n---\n"
        + (BATCH / "05-library.txt").read_text()
    )

    run(tmp_path / "story.txt")

    photo = Story.objects.get().photo
    assert (photo.width, photo.height, photo.alt) == (40, 30, "Мост через Иртыш")
    assert photo.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("../outside.png", "must be in the text file's folder"),
        ("/etc/hostname", "must be in the text file's folder"),
        ("missing.png", "No such image"),
        ("notes.png", "is not an image"),
        ("lying.png", "is a JPEG image"),
        ("bomb.png", "megapixels"),
    ],
    ids=["parent-folder", "absolute", "missing", "not-an-image", "lying", "bomb"],
)
def test_front_matter_image_must_be_an_image_beside_the_text(section, tmp_path, image, message):
    folder = tmp_path / "texts"
    folder.mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "outside.png")
    (folder / "notes.png").write_text("not an image")
    (folder / "lying.png").write_bytes(picture_bytes((40, 30), "JPEG"))
    (folder / "bomb.png").write_bytes(bomb_png())
    (folder / "story.txt").write_text(
        f"---\nimage: {image}\nimage-alt: Фото\n---\n" + (BATCH / "05-library.txt").read_text()
    )

    with pytest.raises(CommandError, match=message):
        run(folder / "story.txt")

    assert not Story.objects.exists() and not Photo.objects.exists()


def test_front_matter_image_needs_a_description(section, tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "photo.png")
    (tmp_path / "story.txt").write_text(
        "---\nimage: photo.png\n---\n" + (BATCH / "05-library.txt").read_text()
    )

    with pytest.raises(CommandError, match="no image-alt"):
        run(tmp_path / "story.txt")


def test_related_story_is_found_by_its_reference(section, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text("---\nref: wire:1\n---\n" + (BATCH / "05-library.txt").read_text())
    second = tmp_path / "second.txt"
    second.write_text("---\nrelated: wire:1\n---\n" + (BATCH / "01-budget-hearing.txt").read_text())

    run(first, second)

    earlier = Story.objects.get(import_ref="wire:1")
    later = Story.objects.exclude(pk=earlier.pk).get()
    assert list(later.related.all()) == [earlier]


def test_unknown_related_story_is_refused(section, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("---\nrelated: wire:404\n---\n" + (BATCH / "05-library.txt").read_text())

    with pytest.raises(CommandError, match="Related story 'wire:404' is not on the site"):
        run(path)


def test_front_matter_value_too_long_to_store_is_refused(section, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        f"---\ntags: мосты, {'т' * 101}\n---\n" + (BATCH / "05-library.txt").read_text()
    )

    with pytest.raises(CommandError, match="each value of tags has at most 100 characters"):
        run(path)

    assert not Story.objects.exists()
