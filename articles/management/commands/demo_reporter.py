"""``manage.py demo_reporter``: a staff account in the Reporters group with a fresh password."""

from articles.demo import make_demo_reporter

from .demo_editor import Command as DemoEditorCommand


class Command(DemoEditorCommand):
    help = (
        "Create or update a staff user in the Reporters group, give it a new random password "
        "and print how to log in."
    )
    label = "Demo reporter"
    default_username = "reporter"
    make_account = staticmethod(make_demo_reporter)
