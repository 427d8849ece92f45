from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.loader import DATA_FILE


class Command(BaseCommand):
    help = "Load the 2018 Kent and Medway record: import_record on demo/data/kent_medway_2018.toml."

    def handle(self, *args, **options):
        call_command("import_record", str(DATA_FILE), stdout=self.stdout, stderr=self.stderr)
