from django.core.management.base import BaseCommand

from demo.loader import load_kent_medway_2018


class Command(BaseCommand):
    help = "Load the 2018 Kent and Medway strategic commissioner story, each fact with its source."

    def handle(self, *args, **options):
        if load_kent_medway_2018():
            self.stdout.write(self.style.SUCCESS("Loaded the Kent and Medway 2018 record."))
        else:
            self.stdout.write("The Kent and Medway 2018 record is already loaded; nothing changed.")
