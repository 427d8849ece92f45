from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from ccgs.models import Commissioner
from interchange.exporter import dumps


def arrangement(named):
    """The arrangement named (by name or slug), or the only one the record holds."""
    arrangements = list(Commissioner.objects.order_by("pk"))
    if named:
        found = [a for a in arrangements if named in (a.name, slugify(a.name))]
        if not found:
            known = "; ".join(f"{a.name} ({slugify(a.name)})" for a in arrangements) or "none"
            raise CommandError(f"No arrangement is named {named!r}. The record holds: {known}.")
        return found[0]
    if len(arrangements) != 1:
        known = "; ".join(f"{a.name} ({slugify(a.name)})" for a in arrangements) or "none"
        raise CommandError(
            "Say which arrangement to export with --arrangement: the record holds "
            f"{len(arrangements)} ({known})."
        )
    return arrangements[0]


class Command(BaseCommand):
    help = "Write one arrangement's record to a record file (docs/record-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the record file, or - for standard output")
        parser.add_argument(
            "--arrangement",
            help="the arrangement's name or slug (default: the only one in the record)",
        )

    def handle(self, *args, file, **options):
        commissioner = arrangement(options.get("arrangement"))
        text = dumps(commissioner)
        if file == "-":
            self.stdout.write(text, ending="")
            return
        with open(file, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stderr.write(f"Wrote the record of {commissioner.name} to {file}.")
