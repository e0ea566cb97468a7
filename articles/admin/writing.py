"""The writing surface of the story form: the body editor (django-prose-editor, with quote
blocks), the quote dialog's endpoint and the suggestions of tags and newsmakers.

Quotes live in the text: the editor's quote button asks for the quote, the endpoint saves it
as a ``Quote`` of the story and the body keeps a reference block where it stands
(``richtext.embed_html``); saving the story places it (``Story.place_embeds``).
"""

import json

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.widgets import AdminProseEditorWidget

from .. import suggestions
from ..models import Newsmaker, Quote, Source
from ..richtext import plain_text
from ..search import matching_all_words

# What editors may write: the body's sanitiser (richtext.ALLOWED_TAGS) keeps all of it.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "NewsroomQuote": True,
    "NewsroomPaste": True,
}
BODY_HELP = gettext_lazy(
    "Paragraphs, headings, lists and links. The quote button puts a quote where the cursor is; "
    "a quote taken out of the text is deleted when the story is saved."
)


class BodyEditorWidget(AdminProseEditorWidget):
    """The prose editor on the body, with the story's quotes for its quote blocks."""

    def __init__(self, *args, quotes=None, urls=None, **kwargs):
        super().__init__(*args, config={"extensions": BODY_EXTENSIONS}, preset="configurable")
        self.quotes, self.urls = quotes or {}, urls or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-quotes": json.dumps(self.quotes, ensure_ascii=False),
                "data-urls": json.dumps(self.urls),
                "data-strings": json.dumps(editor_strings(), ensure_ascii=False),
            }
        )
        return context


def editor_strings():
    """The words of the quote block and of the hints, in the editor's language."""
    return {
        "insert": _("Insert a quote"),
        "saveFirst": _("Save the story once to add quotes"),
        "edit": _("Edit the quote"),
        "dialogTitle": _("Quote"),
        "text": _("What was said"),
        "speaker": _("Speaker"),
        "newSpeaker": _("A new newsmaker will be created: %(name)s."),
        "role": _("Role at the time"),
        "context": _("Context"),
        "source": _("Source"),
        "save": _("Save the quote"),
        "cancel": _("Cancel"),
        "failed": _("The quote was not saved:"),
        "noSpeaker": _("No speaker"),
        "missing": _("This quote no longer exists: it is dropped when the story is saved."),
        "hints": _("Hints"),
        "words": _("%(words)s words, about %(minutes)s min to read."),
        "headline": _("Headline: %(count)s characters."),
        "headlineSearch": _("Longer than about 60 characters: search results will cut it."),
        "headlineSocial": _("Longer than about 70 characters: social cards will cut it."),
        "noLede": _("No lede: one sentence under the headline that sums the story up."),
        "noAlt": _("The main image has no description for readers who cannot see it."),
        "quoteNoSpeaker": _("A quote in the text has no speaker."),
        "suggest": _("Suggest tags and newsmakers"),
        "suggestedTags": _("Tags the text mentions (click to add):"),
        "suggestedPeople": _("Newsmakers the text mentions (click to quote them):"),
        "nothing": _("The text mentions no tag or newsmaker of the site."),
        "added": _("Added: %(name)s"),
    }


def quote_data(quote):
    """What the editor shows of a quote and fills its dialog with."""
    return {
        "id": quote.pk,
        "text": quote.text,
        "speaker": quote.speaker.name if quote.speaker else "",
        "speaker_id": quote.speaker_id,
        "role": quote.role,
        "context": quote.context,
        "source": quote.source.name if quote.source else "",
        "source_id": quote.source_id,
    }


class QuoteDialogForm(forms.ModelForm):
    """The quote dialog: a speaker chosen by id, or named to be created on the spot."""

    speaker = forms.ModelChoiceField(Newsmaker.objects.all(), required=False)
    new_speaker = forms.CharField(max_length=200, required=False, strip=True)
    source = forms.ModelChoiceField(Source.objects.all(), required=False)

    class Meta:
        model = Quote
        fields = ["text", "speaker", "role", "context", "source"]

    def __init__(self, *args, may_add_newsmaker=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_add_newsmaker = may_add_newsmaker

    def clean(self):
        cleaned = super().clean()
        name = " ".join(cleaned.get("new_speaker", "").split())
        if name and cleaned.get("speaker") is None:
            # Letter case of Cyrillic is ignored on every database (search.py), then compared.
            candidates = Newsmaker.objects.filter(matching_all_words(name, ["name"]))
            existing = next((p for p in candidates if p.name.casefold() == name.casefold()), None)
            if existing is not None:
                cleaned["speaker"] = existing
            elif not self.may_add_newsmaker:
                raise forms.ValidationError(
                    _("You may not add newsmakers: choose one from the list.")
                )
        cleaned["new_speaker"] = name
        return cleaned

    def save(self, commit=True):
        quote = super().save(commit=False)
        name = self.cleaned_data["new_speaker"]
        if quote.speaker is None and name:
            quote.speaker = Newsmaker.objects.create(name=name)
        if commit:
            quote.save()
        return quote


class WritingAdminMixin:
    """The body editor, the quote endpoint and the suggestions, on the story admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/quotes/",
                view(self.quote_view),
                name="{}_{}_quote_add".format(*info),
            ),
            path(
                "<path:object_id>/quotes/<int:quote_id>/",
                view(self.quote_view),
                name="{}_{}_quote_change".format(*info),
            ),
            path(
                "suggestions/",
                view(self.suggestions_view),
                name="{}_{}_suggestions".format(*info),
            ),
            *super().get_urls(),
        ]

    def writing_urls(self, story):
        info = self.opts.app_label, self.opts.model_name
        site = self.admin_site.name
        urls = {
            "suggestions": reverse("{}:{}_{}_suggestions".format(site, *info)),
            "autocomplete": reverse(f"{site}:autocomplete"),
        }
        if story is not None and story.pk:
            urls["quotes"] = reverse("{}:{}_{}_quote_add".format(site, *info), args=[story.pk])
        return urls

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            story = getattr(request, "story_being_edited", None)
            quotes = {}
            if story is not None and story.pk:
                quotes = {
                    str(quote.pk): quote_data(quote)
                    for quote in story.quotes.select_related("speaker", "source")
                }
            kwargs["widget"] = BodyEditorWidget(quotes=quotes, urls=self.writing_urls(story))
            kwargs.setdefault("help_text", BODY_HELP)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The body's widget carries the story's quotes: formfield_for_dbfield reads it here.
        request.story_being_edited = obj
        return super().get_form(request, obj, change=change, **kwargs)

    def _story_for_writing(self, request, object_id):
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        return story

    def quote_view(self, request, object_id, quote_id=None):
        """Create (POST to ``…/quotes/``) or change (``…/quotes/<id>/``) a quote of the story
        from the editor's dialog; answers the quote as the editor shows it, or the errors."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self._story_for_writing(request, object_id)
        quote = Quote(story=story)
        if quote_id is not None:
            quote = get_object_or_404(Quote, pk=quote_id, story=story)
        form = QuoteDialogForm(
            request.POST,
            instance=quote,
            may_add_newsmaker=request.user.has_perm("articles.add_newsmaker"),
        )
        if not form.is_valid():
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        with transaction.atomic():
            quote = form.save()
        quote = Quote.objects.select_related("speaker", "source").get(pk=quote.pk)
        return JsonResponse(quote_data(quote), status=201 if quote_id is None else 200)

    def suggestions_view(self, request):
        """Tags and newsmakers the posted text mentions in any form (``suggestions.py``)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        text = " ".join(
            [
                request.POST.get("headline", ""),
                request.POST.get("lede", ""),
                plain_text(request.POST.get("body", "")),
            ]
        )[:100_000]
        exclude = [name.strip() for name in request.POST.get("tags", "").split(",")]
        tags = suggestions.mentioned_tags(text, exclude=exclude)
        people = suggestions.mentioned_newsmakers(text)
        return JsonResponse(
            {
                "tags": [tag.name for tag in tags],
                "newsmakers": [
                    {"id": person.pk, "name": person.name, "role": person.role} for person in people
                ],
            }
        )

    def writing_media(self, request, media):
        """The form's media with the response's CSP nonce: the editor's import map is an
        inline script."""
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None and hasattr(media, "with_nonce"):
            return media.with_nonce(str(nonce))
        return media
