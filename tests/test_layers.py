"""The apps depend one way: each imports only from the layers below it, never beside or above.

records  (sources, the timeline, dates, the point in time, history, permissions)
ccgs     (CCGs, locality groups, the commissioner)
decisions, roles   (decisions own membership; roles own people, posts and functions)
scrutiny (the read-only pages, exports and the API)
interchange (import_record and export_record: record files read and written through every app's services)
demo     (the 2018 record, which interchange loads; demo users, the synthetic national record)
kmcommission (settings and URLs) sits above them all.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "records": 0,
    "ccgs": 1,
    "decisions": 2,
    "roles": 2,
    "scrutiny": 3,
    "interchange": 4,
    "demo": 5,
    "kmcommission": 6,
}


def imported_apps(path):
    """(line, app) for every import in ``path`` of a module of one of our apps."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in LAYERS:
                yield node.lineno, app


def wrong_way_imports(app):
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for line, imported in imported_apps(path):
            if imported == app:
                continue
            if LAYERS[imported] >= LAYERS[app]:
                where = "beside" if LAYERS[imported] == LAYERS[app] else "above"
                problems.append(
                    f"{path.relative_to(ROOT)}:{line} imports {imported}, {where} {app}"
                )
    return problems


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_from_the_layers_below_it(app):
    assert wrong_way_imports(app) == []


def test_the_check_finds_an_import_the_wrong_way(tmp_path, monkeypatch):
    # The test above must be able to fail: a ccgs module importing decisions is caught.
    app = tmp_path / "ccgs"
    app.mkdir()
    (app / "views.py").write_text("from decisions.models import Decision\nimport records.dates\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert wrong_way_imports("ccgs") == ["ccgs/views.py:1 imports decisions, above ccgs"]
