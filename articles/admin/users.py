"""User accounts: the stock admin, with a search that ignores Cyrillic letter case."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from .common import CaseInsensitiveSearchMixin

User = get_user_model()

# Authors are picked by name in the story form: the user search ignores Cyrillic letter case too.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CaseInsensitiveSearchMixin, auth_admin.UserAdmin):
    pass
