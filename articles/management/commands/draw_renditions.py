"""Draw the renditions photos lack, so that no page has to (e.g. after migrating old images)."""

from django.core.management.base import BaseCommand

from articles.models import Photo


class Command(BaseCommand):
    help = "Draw and store the renditions of photos that lack them."

    def handle(self, *args, **options):
        count = Photo.objects.all().draw_renditions()
        self.stdout.write(f"Drew {count} renditions.")
