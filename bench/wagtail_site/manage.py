#!/usr/bin/env python
"""The Wagtail news site the benchmark compares Newsroom with (its own virtualenv)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
