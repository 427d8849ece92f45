"""Accessibility checks in the browser: axe-core against WCAG 2.2 AA.

UK public-sector sites must meet WCAG 2.2 AA. axe-core (pinned in
package-lock.json) is added to a page only when a test checks it: evaluated
through the DevTools protocol, which the page's Content Security Policy does not
apply to, so the app's own CSP stays in force in the tests. Adding it to every
page as it loads cost more than a third of the browser tests' time.
"""

import functools
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@functools.cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, include=None, disable_rules=()):
    """Run axe on the page (or the CSS selector ``include``) and return its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    options = {
        "runOnly": {"type": "tag", "values": WCAG_22_AA},
        "rules": {rule: {"enabled": False} for rule in disable_rules},
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        "async ([context, options]) => (await axe.run(context || document, options)).violations",
        [include, options],
    )


def describe_violations(violations):
    """The violations as readable text: rule, impact, help, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_browser_errors(page):
    """Fail on CSP violations, uncaught JavaScript errors or files that failed to load.

    The ``new_page`` fixture records them as the page runs.
    """
    refused = getattr(page, "csp_violations", [])
    assert not refused, "Content Security Policy violations on {}:\n{}".format(
        page.url, "\n".join(refused)
    )
    errors = getattr(page, "page_errors", [])
    assert not errors, "Errors in the browser on {}:\n{}".format(page.url, "\n".join(errors))


def assert_accessible(page, *, include=None, disable_rules=()):
    """Fail with a readable list if axe finds WCAG 2.2 AA violations on the page.

    Also fails on CSP violations (inline script or style), JavaScript errors and
    files that failed to load, seen so far in this page: each breaks the page for
    real users too.
    """
    page.wait_for_load_state("load")
    violations = axe_violations(page, include=include, disable_rules=disable_rules)
    assert not violations, (
        f"axe found WCAG 2.2 AA violations on {page.url} ({page.title()}):\n{describe_violations(violations)}"
    )
    assert_no_browser_errors(page)
