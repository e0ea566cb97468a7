"""What every admin of the newsroom shares: case-insensitive search and the slug script."""

import json

from django.forms import Script

from ..search import matching_all_words
from ..slugs import CYRILLIC

ADMIN_STATIC = "articles/admin/"
# Django's urlify.js first: slugify.js replaces the URLify() it defines.
# The romanisation table travels with the script tag, so the server's table is the only one.
SLUGIFY_JS = [
    "admin/js/urlify.js",
    Script(ADMIN_STATIC + "slugify.js", **{"data-letters": json.dumps(CYRILLIC)}),
]


class CaseInsensitiveSearchMixin:
    """Admin search that ignores letter case for Cyrillic on every database (see search.py).

    ``search_fields`` must be plain field paths (no ``^``, ``=`` or ``@`` prefixes); every word
    must match one of the fields.
    """

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        if not fields or not search_term:
            return queryset, False
        return queryset.filter(matching_all_words(search_term, fields)), False


def person_name(user):
    return user.get_full_name() or user.get_username()
