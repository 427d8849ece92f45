import tomllib
from pathlib import Path

import pytest
from django.apps import apps

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "east_kent_single_ccg_invented.toml"
)
EXAMPLE_NAME = "East Kent single CCG (invented example)"


def row_counts():
    """Rows of every table of the record, and their history: what an import may change."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"records", "ccgs", "decisions", "roles", "scrutiny"}
    }


@pytest.fixture
def example_data():
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
