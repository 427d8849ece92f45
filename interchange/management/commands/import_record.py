import json
import sys

from django.core.management.base import BaseCommand, CommandError

from interchange.exporter import export_record
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
            differences = differences_from_the_record(result)
            if differences:
                # Not an error: the record may have moved on since the file was loaded (a
                # decision recorded in the browser), but an edited file must not look loaded.
                self.stderr.write(
                    self.style.WARNING(
                        f"{file} differs from the record of {name}: "
                        + "; ".join(differences)
                        + f". The record was kept as it is; export_record --arrangement "
                        f"{result.commissioner.slug} writes it out to compare."
                    )
                )


def differences_from_the_record(result):
    """What differs between a file and the record of its arrangement already loaded: each
    table that is not the same, and for events, how many are in one and not the other.
    The CCGs, localities and sources are left out: where a file's CCGs were already in the
    record, they keep the facts and sources of the file that brought them in."""
    record = export_record(result.commissioner)
    differences = []
    for table in ("commissioner", "people", "posts", "claims", "conflicts"):
        if result.data.get(table, []) != record.get(table, []):
            differences.append(f"its {table} table")
    file_events = [json.dumps(event, sort_keys=True) for event in result.data["events"]]
    record_events = [json.dumps(event, sort_keys=True) for event in record["events"]]
    only_file = len(set(file_events) - set(record_events))
    only_record = len(set(record_events) - set(file_events))
    if only_file:
        differences.append(f"{_events(only_file)} in the file that the record does not hold")
    if only_record:
        differences.append(f"{_events(only_record)} in the record that the file does not hold")
    return differences


def _events(count):
    return f"{count} event{'s' if count != 1 else ''}"
