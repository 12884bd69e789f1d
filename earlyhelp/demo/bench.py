"""`make bench`: load the demo county into a fresh database and report time and memory.

    python -m earlyhelp.demo.bench [--families N] [--seed S]

Uses `DATABASE_URL` when it is set (it must point at an empty, migrated-or-new database),
else a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="earlyhelp-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    try:
        _run(args)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(args: argparse.Namespace) -> None:
    os.environ.setdefault("EARLYHELP_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from earlyhelp.demo.calibration import calibration_report, describe
    from earlyhelp.demo.loader import DEFAULT_FAMILIES, DEFAULT_SEED, load_demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = load_demo(
        families=args.families or DEFAULT_FAMILIES,
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        progress=sys.stderr.isatty(),
    )
    seconds = time.perf_counter() - started
    rows = sum(result.counts.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database   {os.environ['DATABASE_URL']}")
    print(f"families   {result.families:,}")
    print(f"rows       {rows:,} in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
    print(f"peak RSS   {peak:,.0f} MB")
    print("calibration 2014-15:")
    print("\n".join(describe(calibration_report(2015))))


if __name__ == "__main__":
    main()
