"""python -m bench [--pupils N] [--schools N] [--only NAME ...]: seed schools on the configured database, measure."""

import argparse
import os
import sys
import time
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument(
        "--letters", default="АБВГ", help="parallel classes of grades 1-9 (default АБВГ: 40 classes with 10-11)"
    )
    parser.add_argument(
        "--schools",
        type=int,
        default=1,
        help="schools on the database: the seeded one and N-1 copies of it with a year of marks; pages of the first",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="with --schools N: measure the scenarios on the one school first, then again with N (rows @1 and @N)",
    )
    parser.add_argument("--password", default="demo12345")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names (default: all)")
    parser.add_argument("--profile", action="store_true", help="instead of the table, profile the --only scenarios")
    parser.add_argument(
        "--http",
        nargs="*",
        default=[],
        metavar="NAME",
        help="also measure these scenarios' pages over HTTP: gunicorn -w 2 on loopback, loaded from a second process",
    )
    parser.add_argument("--http-seconds", type=float, default=10.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ejournal.clock import today
    from ejournal.demo import build_demo_school

    from . import scenarios  # noqa: F401 - registers the scenarios
    from .core import BASELINE, SCENARIOS, print_table, profile, run, write_json

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    # The journals are left empty: the scenarios write what they measure (and lesson_generation deletes the year).
    result = build_demo_school(
        pupils=args.pupils, password=args.password, today=today(), letters=tuple(args.letters), journals=False
    )
    seeded = time.perf_counter() - t0
    ctx = SimpleNamespace(password=args.password, school=result.school, year=result.year)
    # The baseline always runs: every row is also read as a multiple of it, which a busy machine changes less.
    chosen = [s for s in SCENARIOS if not args.only or s.name in args.only or s.name == BASELINE]
    alone = []
    if args.compare and args.schools > 1 and not args.profile:
        # Every scenario writes its data first (each prepare is idempotent): a later scenario's data must not reach
        # an earlier one's page only in the @N series (the change report's year adds works to the grid's lessons).
        for s in chosen:
            s.prepare(ctx)
        _analyze(connection)
        alone = [_renamed(run(s, ctx), "@1") for s in chosen]
    copied = ""
    if args.schools > 1:
        from .schools import copy_school, counts

        t0 = time.perf_counter()
        copy_school(result.school, args.schools - 1)
        copied = f"; {counts()}, {args.schools - 1} copied in {time.perf_counter() - t0:.1f} s"
    _analyze(connection)
    pooled = " through a transaction pooler" if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS") else ""
    header = (
        f"ejournal bench: {connection.vendor}{pooled}, {result.pupils} pupils, {result.guardians} parents, "
        f"{result.classes} classes; seeded in {seeded:.1f} s{copied}"
    )
    if args.profile:
        for s in SCENARIOS:
            if args.only and s.name in args.only:
                profile(s, ctx)
        sys.exit(0)
    rows = [run(s, ctx) for s in chosen]
    if alone:
        rows = alone + [_renamed(r, f"@{args.schools}") for r in rows]
    print_table(rows, header)
    if args.http:
        from .http import measure

        for s in SCENARIOS:
            if s.name in args.http:
                # The scenario's page (its `url`, read as its `username`): prepared again, committed for gunicorn.
                request = s.prepare(ctx)
                result = measure(
                    name=s.name,
                    path=request.url,
                    username=request.username,
                    password=args.password,
                    seconds=args.http_seconds,
                )
                print(result.line())
    if os.environ.get("BENCH_JSON"):
        write_json(rows, os.environ["BENCH_JSON"])
    sys.exit(0)


def _analyze(connection) -> None:
    if connection.vendor == "postgresql":
        # A school's database has its statistics (autovacuum keeps them): plan the queries on them, not on none.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _renamed(row, suffix: str):
    row.scenario = f"{row.scenario} {suffix}"
    return row


if __name__ == "__main__":
    main()
