"""The reader's search forms: stories by words, a section and a date range, all optional; quotes
by words, a section and a newsmaker."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 200


class DateInput(forms.DateInput):
    """The browser's date picker: ISO dates whatever the language. A value that is not one
    cannot be shown in it (the field's error says what was wrong), so it is left out."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, strip=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, data=None, *, sections, **kwargs):
        """``sections``: the site's sections, as the navigation lists them (one query for
        both)."""
        super().__init__(data, **kwargs)
        self.fields["q"].widget.attrs.update({"maxlength": QUERY_MAX_LENGTH, "type": "search"})
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [("", _("All sections"))] + [
            (section.slug, section.name) for section in sections
        ]

    def clean_section(self):
        return self.sections.get(self.cleaned_data["section"])

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned

    def filter(self, stories):
        """``stories`` narrowed by the valid filters of the form (invalid ones are shown as
        errors and ignored)."""
        data = self.cleaned_data
        if data.get("section"):
            stories = stories.filter(section=data["section"])
        if data.get("since"):
            stories = stories.filter(published_at__date__gte=data["since"])
        if data.get("until") and "until" not in self.errors:
            stories = stories.filter(published_at__date__lte=data["until"])
        return stories

    def page_query(self):
        """The query string of this search, page number aside, for the pagination links."""
        data = getattr(self, "cleaned_data", {})
        params = {
            "q": data.get("q"),
            "section": data["section"].slug if data.get("section") else None,
            "since": data.get("since"),
            "until": data.get("until") if "until" not in self.errors else None,
        }
        return urlencode({name: value for name, value in params.items() if value})


def clean_query(text):
    """A reader's words: control characters (NUL among them, which PostgreSQL refuses) become
    spaces, an overlong query is cut rather than refused."""
    typed = "".join(ch if ch.isprintable() else " " for ch in text or "")
    return " ".join(typed.split())[:QUERY_MAX_LENGTH]


class QuoteFilterForm(forms.Form):
    """Narrowing a list of quotes: words (in any form), and on ``/quotes/`` a section and a
    newsmaker. Invalid filters are shown as errors and ignored."""

    q = forms.CharField(label=_("Words in the quote"), required=False, strip=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    speaker = forms.SlugField(required=False, allow_unicode=False)

    def __init__(self, data=None, *, sections=None, speakers=None, **kwargs):
        """``sections``: the sections to offer (none: no section filter); ``speakers``: a
        queryset of newsmakers the ``speaker`` slug may name (none: no newsmaker filter)."""
        super().__init__(data, **kwargs)
        self.fields["q"].widget.attrs.update({"maxlength": QUERY_MAX_LENGTH, "type": "search"})
        self.sections = {section.slug: section for section in sections or ()}
        self.speakers = speakers
        if sections is None:
            del self.fields["section"]
        else:
            self.fields["section"].choices = [("", _("All sections"))] + [
                (section.slug, section.name) for section in sections
            ]
        if speakers is None:
            del self.fields["speaker"]

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean_section(self):
        return self.sections.get(self.cleaned_data["section"])

    def clean_speaker(self):
        slug = self.cleaned_data["speaker"]
        if not slug:
            return None
        speaker = self.speakers.filter(slug=slug).first()
        if speaker is None:
            raise forms.ValidationError(_("There is no such newsmaker."))
        return speaker

    def filter(self, quotes):
        data = getattr(self, "cleaned_data", {})
        if data.get("section"):
            quotes = quotes.filter(story__section=data["section"])
        if data.get("speaker"):
            quotes = quotes.filter(speaker=data["speaker"])
        if data.get("q"):
            quotes = quotes.search(data["q"])
        return quotes

    def page_query(self):
        data = getattr(self, "cleaned_data", {})
        params = {
            "q": data.get("q"),
            "section": data["section"].slug if data.get("section") else None,
            "speaker": data["speaker"].slug if data.get("speaker") else None,
        }
        return urlencode({name: value for name, value in params.items() if value})
