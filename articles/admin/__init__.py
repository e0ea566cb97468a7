"""The editors' admin, one module per kind of thing; importing them registers them."""

from . import named, stories, users

__all__ = ["named", "stories", "users"]
