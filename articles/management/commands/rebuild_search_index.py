"""Rebuild the search index of every story, e.g. after a restore or a bulk edit in SQL."""

from django.core.management.base import BaseCommand

from articles.models import Story


class Command(BaseCommand):
    help = "Rebuild the search index of every story."

    def handle(self, *args, **options):
        count = Story.objects.all().reindex()
        self.stdout.write(f"Indexed {count} stories.")
