"""axe-core (from npm, installed beside the DSFR) run in the page as it stands: serious and critical violations fail
the test; moderate and minor ones are listed in var/axe-report.md at the end of the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "var" / "axe-report.md"
BLOCKING = ("serious", "critical")

# Every violation below serious met in this run, by rule and page: (rule, impact, help, page path) → count.
listed: dict[tuple[str, str, str, str], int] = {}
audited: list[str] = []  # the path of each page audited

RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def audit(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations on the page now (each with up to five targets); lesser ones are
    recorded for the report."""
    if not AXE.exists():
        raise AssertionError(f"axe-core introuvable ({AXE}) : npm ci")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN)
    path = page.evaluate("() => location.pathname")
    audited.append(path)
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            key = (violation["id"], violation["impact"] or "?", violation["help"], path)
            listed[key] = listed.get(key, 0) + 1
    return [v for v in violations if v["impact"] in BLOCKING]


def write_report() -> Path | None:
    """var/axe-report.md: how many pages were audited, and every lesser violation met (or none)."""
    if not audited:
        return None
    REPORT.parent.mkdir(exist_ok=True)
    pages = len(set(audited))
    lines = [
        "# axe-core : violations modérées ou mineures relevées par les tests navigateur",
        "",
        f"{len(audited)} audits sur {pages} chemins de page ; aucune violation grave ou critique (elles font échouer "
        "le test qui les rencontre).",
        "",
    ]
    if listed:
        lines += ["| règle | impact | description | page | fois |", "|---|---|---|---|---|"]
        for (rule, impact, help_text, path), count in sorted(listed.items()):
            lines.append(f"| {rule} | {impact} | {help_text} | {path} | {count} |")
    else:
        lines.append("Aucune violation modérée ou mineure.")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return REPORT
