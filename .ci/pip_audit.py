"""`make security`: pip-audit over the locked environment (.venv, from uv.lock).

Fails on any known vulnerability. When the vulnerability database cannot be reached (a
machine that reaches only a package mirror, say), pip-audit skips every package and would
report "no known vulnerabilities"; this says plainly that nothing was audited instead, and
does not fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def main() -> int:
    result = subprocess.run(  # noqa: S603  # nosec B603  # fixed arguments, no shell
        [str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit: NOT RUN, it failed before auditing:\n{result.stderr.strip()}")
        return 0
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} vulnerable package(s): upgrade them in uv.lock.")
        return 1
    audited = len(dependencies) - len(skipped)
    if skipped and audited == 0:
        print(
            f"pip-audit: NOT AUDITED: the vulnerability database (PyPI's JSON API) could not "
            f"be reached for any of the {len(skipped)} packages. Run `make security` where "
            "it can be (CI with internet access) before a release."
        )
        return 0
    for dependency in skipped:
        print(f"pip-audit: not audited: {dependency['name']}: {dependency['skip_reason']}")
    print(f"pip-audit: no known vulnerabilities in {audited} packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
