"""`make bench`'s API load test: clients submitting notifications and reading status.

    python -m earlyhelp.demo.bench_api [--rate 200] [--read-rate 50] [--seconds 60]
                                       [--workers 2] [--threads 2] [--keep]
                                       [--submissions queued|inline]

On PostgreSQL (`BENCH_PG_URL`, else `PG_URL`, else postgres://postgres@127.0.0.1:5432/test)
it makes a database `<name>_bench_api`, loads the default demo county into it (or reuses
it with `--keep`), issues a partner account 250 API tokens (as separate client systems
would have) and sends 200 notifications to be read, serves the application with gunicorn
on loopback, and drives it with two wrk processes (`bench_api.lua`) at once: one offering
`--rate` submissions a second (every 20th sent again with the same `Idempotency-Key`, as a
client retrying would), one `--read-rate` status reads a second. It prints the throughput
and the 50th/95th/99th percentile latency of each, then checks in the database that every
submission the server accepted is there exactly once. Goal (issue 6): 200 submissions a
second with a 95th percentile under 250 ms on a 2-core machine.

By default the server takes submissions into the queue (`EARLYHELP_SUBMISSIONS=queued`,
decision 0017) and one recorder (`earlyhelp submissions --record --follow`) runs beside it
at the lowest CPU priority, as a worker would. It stands back while partners keep sending
(up to five minutes for the oldest), so through the load it records little or nothing.
When the clients stop, the rest of the queue is recorded (timed: the recording rate)
before the check. `--submissions inline` records each submission in its request instead.
A warm-up round (`--warm-up` seconds, default 10, at the same rates) comes first and is
not counted: the first requests of each server process load what it keeps.

wrk (Debian's package; `make bench` installs it) rather than a Python load generator:
on these 2 shared cores the client's own CPU and scheduling delays are part of what is
measured, and wrk's are a small fraction of locust's (decision 0018).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from earlyhelp.demo.bench import admin_sql, postgres_answers, safe_url

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"
BENCH_USER = "bench-api-partner"
GOAL_RATE = 200.0
GOAL_P95_MS = 250.0
BIN = Path(sys.executable).parent
WRK = "/usr/bin/wrk"
TOKENS = 250
READ_SEED = 200
RETRY_EVERY = 20  # bench_api.lua sends every 20th new submission twice


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rate", type=float, default=GOAL_RATE, help="submissions offered a second"
    )
    parser.add_argument("--read-rate", type=float, default=50.0, help="status reads a second")
    parser.add_argument("--connections", type=int, default=64, help="submitting connections")
    parser.add_argument("--read-connections", type=int, default=16, help="reading connections")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=10, help="seconds of load not counted")
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
    parser.add_argument("--references", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(_stage(args)))
        return
    url = os.environ.get("BENCH_PG_URL") or os.environ.get("PG_URL") or DEFAULT_PG
    if not postgres_answers(url):
        print(f"\nAPI load: PostgreSQL does not answer at {safe_url(url)}: skipped.")
        return
    if not Path(WRK).exists():
        print(f"\nAPI load: no {WRK} (`make bench` installs Debian's wrk): skipped.")
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
        issued = _child("token", database, ["--submissions", args.submissions])
        with tempfile.TemporaryDirectory(prefix="earlyhelp-bench-api-") as folder:
            figures = _load_test(args, database, issued, Path(folder))
            _report(figures, args)
            accepted = Path(folder) / "accepted.txt"
            checked = _child("check", database, ["--references", str(accepted)])
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
) -> dict[str, dict[str, Any]]:
    """Serve; warm the server up (not counted); drive it with two wrk processes at once
    (submissions, status reads); stop, and record the rest of the queue. The measured
    round's figures, by client. Every accepted submission's reference, warm-up included,
    is in `folder / "accepted.txt"`."""
    port = _free_port()
    files = {
        "BENCH_TOKENS_FILE": _write_lines(folder / "tokens.txt", issued["tokens"]),
        "BENCH_POSTCODES_FILE": _write_lines(folder / "postcodes.txt", issued["postcodes"]),
        "BENCH_READ_FILE": _write_lines(folder / "read.txt", issued["references"]),
    }
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
        _drive(args, port, args.warm_up, folder / "warm-up", files)
        figures = _drive(args, port, args.seconds, folder / "measured", files)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if recorder is not None:
            _drain(recorder, database, args.seconds + args.warm_up)
    accepted = [
        line
        for round_ in ("warm-up", "measured")
        for line in (folder / round_ / "submit.json.references").read_text().splitlines()
    ]
    _write_lines(folder / "accepted.txt", accepted)
    return figures


def _drive(
    args: argparse.Namespace, port: int, seconds: int, folder: Path, files: dict[str, Path]
) -> dict[str, dict[str, Any]]:
    """One round of both clients at once, for `seconds`: their figures, by client."""
    folder.mkdir()
    clients = {
        "submit": (args.rate * (1 + 1 / RETRY_EVERY), args.connections),
        "status": (args.read_rate, args.read_connections),
    }
    running = {
        name: _start_wrk(name, rate, connections, port, seconds, folder / f"{name}.json", files)
        for name, (rate, connections) in clients.items()
    }
    for name, wrk in running.items():
        out, errors = wrk.communicate()
        if wrk.returncode != 0:
            sys.stderr.write(out + errors)
            raise SystemExit(f"bench: wrk ({name}) failed")
    return {name: json.loads((folder / f"{name}.json").read_text()) for name in clients}


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start_wrk(
    name: str,
    rate: float,
    connections: int,
    port: int,
    seconds: int,
    out: Path,
    files: dict[str, Path],
) -> subprocess.Popen[str]:
    """wrk with `bench_api.lua`: `connections` clients paced to offer `rate` requests a
    second in all, every response timed (a 60 s timeout, so none is left out)."""
    threads = 1
    env = {**os.environ, "BENCH_OUT": str(out), **{k: str(v) for k, v in files.items()}}
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=60s",
        f"--script={Path(__file__).with_name('bench_api.lua')}",
        f"http://127.0.0.1:{port}",
        "--",
        name,
        str(rate),
        str(threads),
    ]
    return subprocess.Popen(  # noqa: S603  # nosec B603 - fixed argv
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


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
        f"recorder: {while_loaded:,} recorded by the time the clients stopped (one worker at "
        f"idle priority, standing back while partners send: about {while_loaded / seconds:.0f}/s"
        f"); the other {after:,} in "
        f"{took:.1f} s after ({after / took if took else 0:.1f}/s, one recorder)"
    )


def _recorded(output: str) -> int:
    """The number in the command's `recorded: N; …` line."""
    for line in output.splitlines():
        if line.startswith("recorded:"):
            return int(line.split(":", 1)[1].split(";")[0].replace(",", "").strip())
    return 0


def _report(figures: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"wrk: {args.rate:.0f} submissions/s offered over {args.connections} connections and "
        f"{args.read_rate:.0f} status reads/s over {args.read_connections}, for {args.seconds} s "
        f"after {args.warm_up} s of warm-up (not counted); "
        f"gunicorn {args.workers} workers × {args.threads} threads; same machine (2 cores "
        f"shared by clients, server and database); submissions {args.submissions}"
    )
    print(f"{'requests':<12}{'count':>8}{'failed':>8}{'per s':>9}{'p50':>10}{'p95':>10}{'p99':>10}")
    for name, row in figures.items():
        print(
            f"{name:<12}{row['requests']:>8,}{row['failed'] + row['socket_errors']:>8,}"
            f"{row['requests'] / row['seconds']:>9.1f}{row['p50_ms']:>7.0f} ms"
            f"{row['p95_ms']:>7.0f} ms{row['p99_ms']:>7.0f} ms"
        )
        for failure in row["failures"]:
            print(f"  failed: {failure}")
    submit = figures["submit"]
    print(
        f"submissions: {submit['created']:,} accepted (201), {submit['retried']:,} sent again "
        f"with the same key, {submit['replayed']:,} answered as replays (200)"
    )
    late = sum(row["late"] for row in figures.values())
    if late:
        print(f"sent late, every connection busy (their wait is not in the figures): {late:,}")
    print(_verdict(submit))


def _verdict(submit: dict[str, Any]) -> str:
    """Judged on the submissions the server accepted a second, and the p95 of every
    submission request (retries included); with no failure, and none sent late (a wait
    for a free connection would be missing from the p95)."""
    rate, p95 = submit["created"] / submit["seconds"], submit["p95_ms"]
    errors = submit["failed"] + submit["socket_errors"]
    met = rate >= GOAL_RATE * 0.99 and p95 < GOAL_P95_MS and not errors and not submit["late"]
    return (
        f"goal {GOAL_RATE:.0f} submissions/s with p95 < {GOAL_P95_MS:.0f} ms: "
        f"{'met' if met else 'NOT met'} ({rate:.1f}/s accepted, p95 {p95:.0f} ms)"
    )


def _report_check(checked: dict[str, Any]) -> None:
    print(
        f"exactly once: {checked['accepted']:,} accepted submissions; "
        f"{checked['found']:,} found with their reference; {checked['duplicates']:,} keys twice; "
        f"{checked['notifications']:,} notifications from the bench account for "
        f"{checked['submissions']:,} submissions; {checked['unrecorded']:,} not recorded "
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
        return _token(args.submissions)
    return _check(Path(args.references))


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


def _token(submissions: str) -> dict[str, Any]:
    """API tokens of the bench's partner account (as separate client systems would have:
    each token has its own rate count), postcodes to send, and notifications it sent
    before, for the readers to read."""
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
        for number in range(1, TOKENS + 1)
    ]
    known = Family.objects.exclude(postcode="").values_list("postcode", flat=True)
    postcodes = sorted(set(known[:2000]))[:200]
    return {
        "tokens": keys,
        "postcodes": postcodes,
        "references": _sent(user, postcodes, submissions),
    }


def _sent(user: Any, postcodes: list[str], submissions: str) -> list[str]:
    """READ_SEED notifications from the bench account, taken as the API would take them."""
    import uuid
    from datetime import date

    from earlyhelp.domain.submissions import Answers
    from earlyhelp.frontdoor.submissions import (
        partner_submission_create,
        partner_submission_receive,
    )

    submit = partner_submission_receive if submissions == "queued" else partner_submission_create
    references = []
    for number in range(READ_SEED):
        answers = Answers(
            child_given_name="Ava",
            child_family_name="Demoby",
            child_date_of_birth=date(2010, 1, 1 + number % 28),
            child_sex="F",
            address_line_1=f"{number + 1} Example Road",
            town="Exampleton",
            postcode=postcodes[number % len(postcodes)],
            concerns="Attendance has fallen this term and the family asked for support.",
            referrer_name="Load Test",
            referrer_organisation="Bench Academy",
            referrer_email="load.test@example.org",
            source="SCHOOL",
            family_consent=True,
        )
        sent = submit(user=user, answers=answers, idempotency_key=str(uuid.uuid4()))
        references.append(sent.reference)
    return references


def _check(references_file: Path) -> dict[str, Any]:
    from django.db.models import Count

    from earlyhelp.frontdoor.models import Notification, PartnerSubmission
    from earlyhelp.organisation.models import User

    accepted = [line for line in references_file.read_text(encoding="utf-8").splitlines() if line]
    user = User.objects.get(username=BENCH_USER)
    mine = PartnerSubmission.objects.filter(submitted_by=user)
    stored = Counter(mine.values_list("notification__notification_ref", flat=True))
    duplicates = mine.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    found = sum(1 for reference in set(accepted) if stored[reference] == 1)
    submissions = mine.count()
    notifications = Notification.objects.filter(submitted_by_id=user.pk).count()
    unrecorded = mine.filter(notification__isnull=True).count()
    ok = (
        found == len(accepted)
        and duplicates == 0
        and unrecorded == 0
        and notifications == submissions
    )
    return {
        "accepted": len(accepted),
        "found": found,
        "duplicates": duplicates,
        "submissions": submissions,
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
