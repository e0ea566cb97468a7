"""What the importer says when it cannot import a text."""


class WireParseError(ValueError):
    """The input is not a wire story the importer can read; the message says why."""


class WireImportError(ValueError):
    """The story reads well but cannot be saved as asked (unknown section, author...)."""
