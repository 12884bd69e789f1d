"""`make bench`'s API load test: many clients submitting notifications and reading status.

    python -m earlyhelp.demo.bench_api [--users 250] [--seconds 60] [--workers 2] [--keep]
                                       [--submissions queued|inline]

On PostgreSQL (`BENCH_PG_URL`, else `PG_URL`, else postgres://postgres@127.0.0.1:5432/test)
it makes a database `<name>_bench_api`, loads the default demo county into it (or reuses
it with `--keep`), issues a partner account an API token per client, serves the application with
gunicorn on loopback, and drives it with locust (headless): submitters send a notification
a second each (5% of them sent twice with the same `Idempotency-Key`, as a client retrying
would) and readers read a notification's status a second each. It prints the throughput
and the 50th/95th/99th percentile latency of each, then checks in the database that every
submission the server accepted is there exactly once. Goal (issue 6): 200 submissions a
second with a 95th percentile under 250 ms on a 2-core machine.

By default the server takes submissions into the queue (`EARLYHELP_SUBMISSIONS=queued`,
decision 0017) and one recorder (`earlyhelp submissions --record --follow`) runs beside it
at the lowest CPU priority, as a worker would: it records with what the requests leave
idle. When the clients stop, the rest of the queue is recorded (timed: the recording rate)
before the check. `--submissions inline` records each submission in its request instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from earlyhelp.demo.bench import admin_sql, postgres_answers, safe_url

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"
BENCH_USER = "bench-api-partner"
GOAL_RATE = 200.0
GOAL_P95_MS = 250.0
BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=250, help="locust users (4 in 5 submit)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--families", type=int, default=None, help="demo size (default: 1x)")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument(
        "--submissions",
        choices=("queued", "inline"),
        default="queued",
        help="record submissions later, in batches (queued), or in the request (inline)",
    )
    parser.add_argument("--stage", choices=("load", "token", "check"), help=argparse.SUPPRESS)
    parser.add_argument("--keys", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(_stage(args)))
        return
    url = os.environ.get("BENCH_PG_URL") or os.environ.get("PG_URL") or DEFAULT_PG
    if not postgres_answers(url):
        print(f"\nAPI load: PostgreSQL does not answer at {safe_url(url)}: skipped.")
        return
    _run(args, url)


def _run(args: argparse.Namespace, url: str) -> None:
    database = _bench_database(url, keep=args.keep)
    print(f"\n== API load test on {safe_url(database)}", flush=True)
    try:
        loaded = _child("load", database, ["--families", str(args.families or 0)])
        if loaded.get("seconds"):
            print(f"load demo        {loaded['seconds']:8.1f} s   {loaded['families']:,} families")
        else:
            print(f"demo county kept from an earlier run: {loaded['families']:,} families")
        issued = _child("token", database, ["--users", str(args.users)])
        with tempfile.TemporaryDirectory(prefix="earlyhelp-bench-api-") as folder:
            stats, keys_file = _load_test(args, database, issued, Path(folder))
            _report(stats, args)
            checked = _child("check", database, ["--keys", str(keys_file)])
        _report_check(checked)
    finally:
        if not args.keep:
            admin_sql(url, f'DROP DATABASE IF EXISTS "{_name(database)}"')


# --- the load test ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_env(database: str, submissions: str = "inline") -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "EARLYHELP_ENV": "production",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,  # nosec B105 - loopback bench
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
        "EARLYHELP_API_RATE_SUBMIT": "100000/min",
        "EARLYHELP_API_RATE_READ": "100000/min",
        "EARLYHELP_API_RATE_ANON": "100000/min",
        "EARLYHELP_SUBMISSIONS": submissions,
    }


def _start_server(args: argparse.Namespace, database: str, port: int) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--workers={args.workers}",
        "--worker-class=gthread",
        f"--threads={args.threads}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    env = _server_env(database, args.submissions)
    server = subprocess.Popen(command, env=env)  # noqa: S603  # nosec B603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/schema/", timeout=5)  # noqa: S310  # nosec B310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("bench: the API server did not start")


def _recorder(*, follow: bool) -> list[str]:
    """`earlyhelp submissions --record`, as a worker (`--follow`, at the lowest priority)
    or to record the rest of the queue."""
    command = [str(BIN / "earlyhelp"), "submissions", "--record"]
    if follow:
        command = ["chrt", "--idle", "0", *command, "--follow"]
    return command


def _recorder_env(database: str) -> dict[str, str]:
    return {**_server_env(database, "queued"), "EARLYHELP_ENV": "development"}


def _load_test(
    args: argparse.Namespace, database: str, issued: dict[str, Any], folder: Path
) -> tuple[list[dict[str, str]], Path]:
    port = _free_port()
    keys_file = folder / "accepted-keys.txt"
    server = _start_server(args, database, port)
    recorder = None
    try:
        if args.submissions == "queued":
            recorder = subprocess.Popen(  # noqa: S603  # nosec B603 - fixed argv
                _recorder(follow=True),
                env=_recorder_env(database),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        env = {
            **os.environ,
            "BENCH_TOKENS": ",".join(issued["tokens"]),
            "BENCH_KEYS_FILE": str(keys_file),
            "BENCH_POSTCODES": ",".join(issued["postcodes"]),
        }
        command = [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            f"--users={args.users}",
            f"--spawn-rate={args.users}",
            f"--run-time={args.seconds}s",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={folder / 'locust'}",
            "--only-summary",
            "--loglevel=WARNING",
        ]
        ran = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
        if ran.returncode not in (0, 1):  # 1: some requests failed (reported below)
            sys.stderr.write(ran.stdout + ran.stderr)
            raise SystemExit("bench: locust failed")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if recorder is not None:
            _drain(recorder, database, args.seconds)
    with open(folder / "locust_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats)), keys_file


def _drain(recorder: subprocess.Popen[str], database: str, seconds: int) -> None:
    """Stop the worker (it ends its batch) and record the rest of the queue, timed."""
    recorder.terminate()
    try:
        during, errors = recorder.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        recorder.kill()
        during, errors = recorder.communicate()
    if recorder.returncode != 0:
        sys.stderr.write(errors)
        raise SystemExit("bench: the recorder failed while the clients ran (above)")
    started = time.perf_counter()
    rest = subprocess.run(  # noqa: S603  # nosec B603 - fixed argv
        _recorder(follow=False),
        env=_recorder_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if rest.returncode != 0:
        sys.stderr.write(rest.stdout + rest.stderr)
        raise SystemExit("bench: recording the rest of the queue failed (above)")
    while_loaded = _recorded(during)
    after = _recorded(rest.stdout)
    print(
        f"recorder: {while_loaded:,} recorded by the time the clients stopped (one worker "
        f"at idle priority, about {while_loaded / seconds:.0f}/s); the other {after:,} in "
        f"{took:.1f} s after ({after / took if took else 0:.1f}/s, one recorder)"
    )


def _recorded(output: str) -> int:
    """The number in the command's `recorded: N; …` line."""
    for line in output.splitlines():
        if line.startswith("recorded:"):
            return int(line.split(":", 1)[1].split(";")[0].replace(",", "").strip())
    return 0


def _report(stats: list[dict[str, str]], args: argparse.Namespace) -> None:
    print(
        f"locust: {args.users} users for {args.seconds} s; gunicorn {args.workers} workers × "
        f"{args.threads} threads; same machine (2 cores shared by client, server and database); "
        f"submissions {args.submissions}"
    )
    print(f"{'request':<28}{'count':>8}{'failed':>8}{'per s':>9}{'p50':>8}{'p95':>8}{'p99':>8}")
    for row in stats:
        print(
            f"{row['Name']:<28}{int(row['Request Count']):>8,}{int(row['Failure Count']):>8,}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>6} ms{row['95%']:>5} ms"
            f"{row['99%']:>5} ms"
        )
    submit = next((r for r in stats if r["Name"] == "submit"), None)
    if submit:
        rate, p95 = float(submit["Requests/s"]), float(submit["95%"])
        met = rate >= GOAL_RATE and p95 < GOAL_P95_MS
        print(
            f"goal {GOAL_RATE:.0f} submissions/s with p95 < {GOAL_P95_MS:.0f} ms: "
            f"{'met' if met else 'NOT met'} ({rate:.1f}/s, p95 {p95:.0f} ms)"
        )


def _report_check(checked: dict[str, Any]) -> None:
    print(
        f"exactly once: {checked['accepted']:,} accepted submissions; "
        f"{checked['found']:,} found with their reference; {checked['duplicates']:,} keys twice; "
        f"{checked['notifications']:,} notifications from the bench account; "
        f"{checked['unrecorded']:,} not recorded "
        f"({'OK' if checked['ok'] else 'FAILED'})"
    )
    if not checked["ok"]:
        raise SystemExit("bench: a submission is missing or was recorded twice")


# --- steps in a process with Django -------------------------------------------------------------


def _child(stage: str, database: str, extra: list[str]) -> Any:
    env = {**os.environ, "DATABASE_URL": database, "EARLYHELP_ENV": "development"}
    command = [sys.executable, "-m", "earlyhelp.demo.bench_api", "--stage", stage, *extra]
    ran = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if ran.returncode != 0:
        sys.stderr.write(ran.stdout + ran.stderr)
        raise SystemExit(f"bench: the {stage} step failed")
    return json.loads(ran.stdout.strip().splitlines()[-1])


def _stage(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.stage == "load":
        return _load(args.families)
    if args.stage == "token":
        return _token(args.users)
    return _check(Path(args.keys))


def _load(families: int) -> dict[str, Any]:
    from django.core.management import call_command

    from earlyhelp.demo.loader import DEFAULT_FAMILIES, DEFAULT_SEED, load_demo
    from earlyhelp.people.models import Family

    call_command("migrate", verbosity=0)
    if Family.objects.exists():
        return {"families": Family.objects.count(), "seconds": 0}
    started = time.perf_counter()
    load_demo(families=families or DEFAULT_FAMILIES, seed=DEFAULT_SEED, progress=False)
    return {"families": Family.objects.count(), "seconds": time.perf_counter() - started}


def _token(count: int) -> dict[str, Any]:
    """`count` API tokens of the bench's partner account: one per client, as separate
    client systems would have (each token has its own rate count)."""
    from earlyhelp.audit.services import SYSTEM
    from earlyhelp.domain.codes import Source, UserRole
    from earlyhelp.organisation.models import User
    from earlyhelp.organisation.tokens import api_token_issue
    from earlyhelp.people.models import Family

    user, _ = User.objects.update_or_create(
        username=BENCH_USER,
        defaults={
            "role": UserRole.PARTNER,
            "partner_organisation": "Bench Academy",
            "partner_source": Source.SCHOOL,
        },
    )
    keys = [
        api_token_issue(
            actor=SYSTEM,
            user=user,
            name=f"load test client {number}",
            scopes=["notifications:write", "notifications:read"],
        ).key
        for number in range(1, count + 1)
    ]
    postcodes = Family.objects.exclude(postcode="").values_list("postcode", flat=True)
    return {"tokens": keys, "postcodes": sorted(set(postcodes[:2000]))[:200]}


def _check(keys_file: Path) -> dict[str, Any]:
    from django.db.models import Count

    from earlyhelp.frontdoor.models import Notification, PartnerSubmission
    from earlyhelp.organisation.models import User

    accepted = dict(
        line.split(" ", 1) for line in keys_file.read_text(encoding="utf-8").splitlines() if line
    )
    user = User.objects.get(username=BENCH_USER)
    mine = PartnerSubmission.objects.filter(submitted_by=user)
    stored = dict(mine.values_list("idempotency_key", "notification__notification_ref"))
    duplicates = mine.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    found = sum(1 for key, ref in accepted.items() if stored.get(key) == ref)
    notifications = Notification.objects.filter(submitted_by_id=user.pk).count()
    unrecorded = mine.filter(notification__isnull=True).count()
    ok = (
        found == len(accepted)
        and duplicates == 0
        and unrecorded == 0
        and notifications == len(stored)
    )
    return {
        "accepted": len(accepted),
        "found": found,
        "duplicates": duplicates,
        "notifications": notifications,
        "unrecorded": unrecorded,
        "ok": ok,
    }


# --- databases ----------------------------------------------------------------------------------


def _name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def _bench_database(url: str, *, keep: bool) -> str:
    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'earlyhelp'}_bench_api"
    exists = admin_sql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608  # nosec B608 - our own name
    if not (keep and exists):
        admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


if __name__ == "__main__":
    main()
