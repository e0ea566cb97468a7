"""The editors' admin, one module per kind of thing; importing them registers them.

User accounts are administered by the accounts app."""

from . import corrections, live, named, partners, photos, stories

__all__ = ["corrections", "live", "named", "partners", "photos", "stories"]
