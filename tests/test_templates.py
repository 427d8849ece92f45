"""Templates a reader can take in: no line over 160 characters."""

from pathlib import Path

from django.conf import settings

LONGEST = 160


def long_lines(root):
    for path in sorted(Path(root).rglob("*")):
        if path.suffix not in {".html", ".svg", ".txt"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if len(line) > LONGEST:
                yield f"{path.relative_to(root)}:{number} has {len(line)} characters"


def test_no_template_line_is_over_160_characters():
    assert list(long_lines(settings.BASE_DIR / "templates")) == []


def test_the_check_finds_a_long_line(tmp_path):
    (tmp_path / "page.html").write_text("<p>short</p>\n<p>" + "x" * 160 + "</p>\n")

    assert list(long_lines(tmp_path)) == ["page.html:2 has 167 characters"]
