import sys

from django.core.management.base import BaseCommand, CommandError

from interchange.importer import RecordProblems, import_record


class Command(BaseCommand):
    help = (
        "Load one arrangement's record from a record file (docs/record-format.md), through the "
        "services; a file with any problem is refused whole, with every problem listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the record file (TOML), or - to read standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            result = import_record(text)
        except RecordProblems as error:
            count = len(error.problems)
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"Nothing was loaded: {count} problem{'s' if count != 1 else ''} in {file}."
            ) from error
        name = result.commissioner.name
        if result.loaded:
            self.stdout.write(self.style.SUCCESS(f"Loaded the record of {name} from {file}."))
        else:
            self.stdout.write(f"The record of {name} is already loaded; nothing changed.")
