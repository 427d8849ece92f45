"""The 2018 Kent and Medway record: a record file that interchange's import_record loads."""

from pathlib import Path

from interchange.importer import import_record_file

DATA_FILE = Path(__file__).resolve().parent / "data" / "kent_medway_2018.toml"
LOADER_USERNAME = "demo-data"


def load_kent_medway_2018(path=DATA_FILE):
    """Load the story once; return False, changing nothing, if it is already there."""
    return import_record_file(path).loaded
