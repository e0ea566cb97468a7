"""``manage.py load_demo``: demo stories, sections, people and images; safe to run again."""

from django.core.management.base import BaseCommand

from articles.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo content: only what is not there yet is added."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(counts.summary())
