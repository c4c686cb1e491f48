"""Requests per second of a page over real HTTP: gunicorn with 2 workers (2 cores) on loopback, loaded from a
second process with a few keep-alive connections (http.client in threads), for ~10 seconds.

The in-process table measures Django's own time per request; this adds the WSGI server, the sockets, the parsing
of the request and a separate client competing for the same cores, as a deployment sees it.
"""

import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class HttpResult:
    name: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    workers: int
    connections: int

    def line(self) -> str:
        return (
            f"{self.name + ' (HTTP)':<28} gunicorn -w {self.workers}, {self.connections} connections, "
            f"{self.seconds:.0f} s: {self.rps:.1f} req/s, p50 {self.p50_ms:.2f} ms, p95 {self.p95_ms:.2f} ms, "
            f"{self.requests} requests, {self.errors} errors"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        for key, morsel in SimpleCookie(header).items():
            jar[key] = morsel.value


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(port: int, username: str, password: str) -> str:
    """Log in as a browser does (the form's CSRF cookie and token, then the POST); returns the Cookie header."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None or "csrftoken" not in jar:
        raise RuntimeError("the login page gave no CSRF token")
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar)},
    )
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"cannot log in as {username}: HTTP {response.status}")
    return _cookie_header(jar)


def _load(port: int, path: str, cookie: str, seconds: float, connections: int, results) -> None:
    """The client process: `connections` threads, each a keep-alive connection (reopened when the server closes
    it, as gunicorn's sync workers do after each answer), requesting the page until the time is up."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start = time.perf_counter()
    deadline = start + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie, "Connection": "keep-alive"}
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                continue
            latencies[i].append((time.perf_counter() - t0) * 1000)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    results.put(([x for part in latencies for x in part], sum(errors), elapsed))


def measure(
    *,
    name: str,
    path: str,
    username: str,
    password: str,
    seconds: float = 10.0,
    workers: int = 2,
    connections: int = 4,
) -> HttpResult:
    """Start gunicorn with the bench's environment (DATABASE_URL and the rest), log in, load the page from a second
    process, and stop gunicorn whatever happens."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "ejournal.settings")}
    hosts = {h for h in env.get("ALLOWED_HOSTS", "").split(",") if h}
    env["ALLOWED_HOSTS"] = ",".join(hosts | {"127.0.0.1", "localhost"})
    command = [
        sys.executable, "-m", "gunicorn", "ejournal.wsgi:application",
        "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            _wait_until_up(port, proc)
            cookie = login(port, username, password)
            # Warm each worker (templates, connections, the session in its cache) before the clock starts.
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(10 * workers):
                warm.request("GET", path, headers={"Cookie": cookie})
                response = warm.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
                if response.will_close:
                    warm.close()
            warm.close()
            context = multiprocessing.get_context("spawn")
            results = context.Queue()
            client = context.Process(target=_load, args=(port, path, cookie, seconds, connections, results))
            client.start()
            latencies, errors, elapsed = results.get(timeout=seconds + 120)
            client.join(timeout=30)
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    latencies.sort()
    return HttpResult(
        name=name,
        requests=len(latencies),
        errors=errors,
        seconds=elapsed,
        rps=round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(statistics.median(latencies), 2) if latencies else 0.0,
        p95_ms=round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 2) if latencies else 0.0,
        workers=workers,
        connections=connections,
    )
