"""The editors' admin, one module per kind of thing; importing them registers them."""

from . import corrections, named, stories, users

__all__ = ["corrections", "named", "stories", "users"]
