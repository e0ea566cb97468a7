"""Django's admin widgets, each with an accessible name for every control it draws.

Django's split date-and-time pair shows "Date:" and "Time:" as bare text, so neither input has a
label of its own; here they are real labels. Select2, behind the autocomplete fields, leaves its
combobox and its search boxes unnamed; ``select2-labels.js`` gives them the field's label, and
``widgets.css`` a highlighted result that can be read.
``AccessibleWidgetsMixin`` puts both in a model admin or an inline.
"""

from django import forms
from django.contrib.admin import widgets
from django.db import models

from .common import ADMIN_STATIC

SELECT2_LABELS_JS = ADMIN_STATIC + "select2-labels.js"
WIDGETS_CSS = ADMIN_STATIC + "widgets.css"


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """The date input and the time input, each with its own label ("Date:", "Time:")."""

    template_name = "articles/admin/widgets/split_datetime.html"

    class Media:
        css = {"screen": [WIDGETS_CSS]}  # the medium of Django's admin widget styles


class LabelledAutocompleteMixin:
    @property
    def media(self):
        # Named after Django's autocomplete script and styles, so that the merged media keep
        # this order.
        return super().media + forms.Media(
            js=["admin/js/autocomplete.js", SELECT2_LABELS_JS],
            css={"screen": ["admin/css/autocomplete.css", WIDGETS_CSS]},
        )


class LabelledAutocompleteSelect(LabelledAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class LabelledAutocompleteSelectMultiple(
    LabelledAutocompleteMixin, widgets.AutocompleteSelectMultiple
):
    pass


class AccessibleWidgetsMixin:
    """For a ModelAdmin or an inline: labelled date-and-time pairs and autocomplete fields."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField) and not db_field.choices:
            kwargs.setdefault("widget", LabelledSplitDateTime)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
