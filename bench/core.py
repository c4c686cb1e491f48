"""A small benchmark harness: named scenarios, SQL query counts, p50/p95 latency and throughput.

Not a test: it prints a table (and JSON with BENCH_JSON=path) for the issue notes. Each issue adds its scenarios
to bench/scenarios.py with the @scenario decorator.
"""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Row:
    scenario: str
    queries: int
    p50_ms: float
    p95_ms: float
    rps: float
    n: int
    note: str = ""
    x_baseline: float | None = None  # p50 as a multiple of the baseline's p50


@dataclass
class Scenario:
    name: str
    prepare: Callable  # (context) -> (client, request callable returning a response)
    iterations: int
    note: str
    warmup: int = 5


SCENARIOS: list[Scenario] = []
# The cheapest real page (bench/scenarios.py): the table reads every row also as a multiple of its p50.
BASELINE = "baseline"


def scenario(name: str, iterations: int = 200, note: str = "", warmup: int = 5):
    def register(fn):
        SCENARIOS.append(Scenario(name=name, prepare=fn, iterations=iterations, note=note, warmup=warmup))
        return fn

    return register


def logged_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"cannot log in as {username}: {response.status_code}")
    return client


def run(s: Scenario, context) -> Row:
    request = s.prepare(context)
    # A write that must start from the same state each time gives its callable `before` and `after` (untimed).
    before = getattr(request, "before", lambda: None)
    after = getattr(request, "after", lambda: None)
    for _ in range(s.warmup):  # warm-up: connections, template caches
        before()
        _check(request(), s.name)
        after()
    before()
    with CaptureQueriesContext(connection) as ctx:
        _check(request(), s.name)
    after()
    queries = len(ctx.captured_queries)
    times = []
    busy = 0.0
    for _ in range(s.iterations):
        before()
        t0 = time.perf_counter()
        _check(request(), s.name)
        times.append((time.perf_counter() - t0) * 1000)
        busy += time.perf_counter() - t0
        after()
    total = busy
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return Row(
        scenario=s.name,
        queries=queries,
        p50_ms=round(statistics.median(times), 2),
        p95_ms=round(p95, 2),
        rps=round(s.iterations / total, 1),
        n=s.iterations,
        note=s.note,
    )


def profile(s: Scenario, context, iterations: int = 50, top: int = 30) -> None:
    """Where a scenario's time goes: cProfile over some calls, the functions by their own time (for developers)."""
    import cProfile
    import pstats

    request = s.prepare(context)
    before = getattr(request, "before", lambda: None)
    after = getattr(request, "after", lambda: None)
    for _ in range(s.warmup):
        before()
        _check(request(), s.name)
        after()
    profiler = cProfile.Profile()
    for _ in range(iterations):
        before()
        profiler.enable()
        _check(request(), s.name)
        profiler.disable()
        after()
    before()
    with CaptureQueriesContext(connection) as queries:
        _check(request(), s.name)
    after()
    print(f"--- {s.name}: the queries of one call (ms, SQL)")
    for q in queries.captured_queries:
        print(f"{float(q['time']) * 1000:7.2f}  {q['sql'][:300]}")
    print(f"--- {s.name}: {iterations} calls")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def _check(response, name):
    if response.status_code >= 400:
        raise RuntimeError(f"{name}: HTTP {response.status_code}")


def relate_to_baseline(rows: list[Row]) -> None:
    """Each row's p50 over the baseline's measured in the same series (`name @N` rows of --compare: the same @N)."""
    bases = {r.scenario.partition(" ")[2]: r for r in rows if r.scenario.partition(" ")[0] == BASELINE}
    for r in rows:
        base = bases.get(r.scenario.partition(" ")[2])
        r.x_baseline = round(r.p50_ms / base.p50_ms, 1) if base is not None and base.p50_ms > 0 else None


def print_table(rows: list[Row], header: str) -> None:
    relate_to_baseline(rows)
    print(header)
    print(f"{'scenario':<28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'n':>5} {'× baseline':>10}  note")
    for r in rows:
        times = "—" if r.x_baseline is None else f"{r.x_baseline:.1f}"
        print(
            f"{r.scenario:<28} {r.queries:>7} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} {r.rps:>8.1f} {r.n:>5} {times:>10}"
            f"  {r.note}"
        )


def write_json(rows: list[Row], path: str) -> None:
    relate_to_baseline(rows)
    with open(path, "w", encoding="utf-8") as f:
        json.dump([asdict(r) for r in rows], f, ensure_ascii=False, indent=2)
