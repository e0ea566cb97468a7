"""What the story admin's forms post, for tests that post them (or forge them)."""

from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from articles.models import Story


def admin_url(model, view, *args):
    return reverse(f"admin:articles_{model._meta.model_name}_{view}", args=args)


def story_form_data(section, **fields):
    data = {
        "headline": "",
        "slug": "",
        "lede": "",
        "body": "",
        "published_at_0": "",
        "published_at_1": "",
        "section": section.pk,
        "photo": "",
        "photo_upload_alt": "",
        "photo_upload_caption": "",
        "photo_upload_credit": "",
        "tags": "",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(fields)
    return data


def story_change_data(story, **fields):
    """The story form as its change page would post it back, with ``fields`` changed."""
    story.refresh_from_db()
    data = story_form_data(
        story.section,
        headline=story.headline,
        slug=story.slug,
        lede=story.lede,
        body=story.body,
        opened_version=story.version,
        authors=[user.pk for user in story.authors.all()],
        sources=[source.pk for source in story.sources.all()],
        related=[related.pk for related in story.related.all()],
        featured="on" if story.featured else "",
        tags=", ".join(tag.name for tag in story.tags.all()),
        photo=story.photo_id or "",
    )
    if story.published_at:
        local = timezone.localtime(story.published_at)
        data["published_at_0"] = local.strftime("%d.%m.%Y")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    data.update(fields)
    return data


def change(client, story, **fields):
    return client.post(admin_url(Story, "change", story.pk), story_change_data(story, **fields))


def run_action(client, action, stories, **extra):
    return client.post(
        admin_url(Story, "changelist"),
        {"action": action, "_selected_action": [story.pk for story in stories], **extra},
        follow=True,
    )


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form with ``form_id`` (no button pressed)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # A newline right after <textarea> is not part of its value.
            name, value = self.textarea
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def form_fields(html, form_id):
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
