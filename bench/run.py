"""`make bench`: seed a large board, serve it with gunicorn in production settings, load it with wrk.

    python -m bench.run --offers 10000 --applications 1000000

Every figure is measured against a bare Django view served by the same gunicorn
(all the site's middleware, then a view that does nothing): the ratio says what
our pages cost, whatever the machine. The public pages are measured twice, with
the page cache and without it (PAGE_CACHE_SECONDS=0). Peak memory is read from
the kernel (VmHWM) of the worker processes, reset before each measured request.
"""

import argparse
import collections
import http.cookiejar
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / "var" / "bench"
HOST = "127.0.0.1"
RECRUITER = "bench-recruiter"
PASSWORD = "bench-password"
BIG_ORGANISATION = "bench-big"
# The applications the benchmark sends use this domain, so that it can take them back afterwards.
LOAD_DOMAIN = "load.example.org"


def log(message: str):
    print(message, flush=True)


# The site


def site_environment(database_url: str, page_cache_seconds: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-secret-key-never-use-in-production",
        "ALLOWED_HOSTS": HOST,
        # Served over plain HTTP on loopback: no redirect to HTTPS, cookies sent back.
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "APPLICATION_RATE_LIMIT": "1000000000",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def forget_submissions(env: dict):
    """Delete the applications (and their files) a run sent: the seeded board stays as seed_bench left it."""
    code = (
        "from applications.models import Application\n"
        f"Application.objects.filter(email__endswith='@{LOAD_DOMAIN}').delete()"
    )
    manage(env, "shell", "--verbosity", "0", "-c", code)
    subprocess.run(
        [sys.executable, "manage.py", "delete_orphan_files", "--min-age", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py (2 workers) on a loopback port."""

    def __init__(self, env: dict, port: int):
        self.env, self.port = env, port
        self.base = f"http://{HOST}:{port}"

    def __enter__(self):
        self.log = open(WORK_DIR / f"gunicorn-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"{HOST}:{self.port}"]
            + ["--workers", "2", "jobboard.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{self.base}/healthz", timeout=2).status == 200 and len(self.workers()) == 2:
                    return self
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer on port {self.port}; see {self.log.name}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]


# Memory


def memory_kb(pid: int, field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    return int(match.group(1))


def peak_growth_mb(server: Server, action) -> tuple[float, object]:
    """The largest growth of a worker's resident memory while `action()` runs, in MB."""
    before = {}
    for pid in server.workers():
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        before[pid] = memory_kb(pid, "VmRSS")
    result = action()
    growth = max(memory_kb(pid, "VmHWM") - rss for pid, rss in before.items())
    return growth / 1024, result


# Load


def wrk(url: str, duration: int, connections: int, script: str = "report.lua", args=(), headers=()) -> dict:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(BASE_DIR / "bench" / script)]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", *args]
    output = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "seconds": seconds,
        "rps": figures["requests"] / seconds,
        "latencies": figures["latency_us"],
        **percentiles(figures["latency_us"]),
        "errors": figures["socket_errors"] + figures["bad_status"],
    }


def percentiles(latencies: list[list[int]]) -> dict:
    """p50, p95 and p99 in ms of [[µs, requests], …] in increasing µs, read as wrk reads its own
    (stats_percentile): the latency of the request of rank round(share × requests + 0.5)."""
    total = sum(count for _, count in latencies)
    found, seen = {}, 0
    wanted = [("p50", 0.50), ("p95", 0.95), ("p99", 0.99)]
    for value, count in latencies:
        seen += count
        while wanted and seen >= math.floor(wanted[0][1] * total + 1):
            found[wanted.pop(0)[0]] = value / 1000
    return {name: found.get(name, 0.0) for name in ("p50", "p95", "p99")}


def settle(server: "Server"):
    """Wait for the requests wrk left queued to be served (a slow page at 16 connections leaves
    seconds of them), so that they do not count against the next endpoint measured."""
    quick = 0
    deadline = time.monotonic() + 60
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        urllib.request.urlopen(f"{server.base}/bench/bare", timeout=60).read()
        quick = quick + 1 if time.monotonic() - started < 0.02 else 0


class Session:
    """A browser's cookies and CSRF token, for the forms and the admin."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == name)

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=60).read().decode()

    def post(self, path: str, data: dict, files: dict | None = None):
        body, content_type = encode_form(data, files or {})
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("Referer", self.base + path)
        return self.opener.open(request, timeout=120)

    def login(self, username: str, password: str):
        form = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        credentials = {"username": username, "password": password, "next": "/admin/"}
        self.post("/admin/login/", {"csrfmiddlewaretoken": token, **credentials})
        self.cookie("sessionid")  # raises if the login failed

    def header(self) -> str:
        return "Cookie: " + "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def encode_form(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/pdf\r\n\r\n" + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of about `size` bytes (one page, padded with a stream of noise)."""
    noise = os.urandom(size)
    stream = b"<< /Length %d >>\nstream\n" % len(noise) + noise + b"\nendstream"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << >> >> >>",
        stream,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# What to measure


def targets(env: dict) -> dict:
    """Addresses of real pages of the seeded board, found in its database."""
    code = f"""
import json
from django.db.models import Count
from offers.models import Offer, Organisation, PoliticalGroup, Place
from offers.views import OFFERS_PER_PAGE
published = Offer.objects.published()
open_offers = Offer.objects.open()
on_site = open_offers.filter(apply_method=Offer.ApplyMethod.BOARD)
offer = on_site.exclude(organisation__slug={BIG_ORGANISATION!r}).order_by("pk").first()
group = PoliticalGroup.objects.filter(offers__in=open_offers).order_by("pk").first()
organisation = Organisation.objects.filter(offers__in=open_offers).annotate(n=Count("offers")).order_by("-n").first()
city = Place.objects.filter(offer__in=open_offers).values_list("locality", flat=True).order_by("pk").first()
print(json.dumps({{
    "offer": offer.get_absolute_url(), "apply": "/offres/" + offer.slug + "/postuler/",
    "asks_for_letter": offer.asks_for_letter, "group": group.slug, "organisation": organisation.slug,
    "city": city, "pages": max(1, -(-open_offers.count() // OFFERS_PER_PAGE)),
    "published": published.count(),
}}))
"""
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if output.returncode:
        raise SystemExit(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


SEARCH_WORDS = ["communication", "parlementaire", "assistant", "medewerker", "juriste", "stagiaire"]


def list_variants(found: dict) -> dict[str, str]:
    quote = urllib.parse.quote
    return {
        "list": "/offres/",
        "list ?contract": "/offres/?contract=internship",
        "list ?organisation": f"/offres/?organisation={found['organisation']}",
        "list ?group": f"/offres/?group={found['group']}",
        "list ?level": "/offres/?level=regional",
        "list ?country": "/offres/?country=FR",
        "list ?place": f"/offres/?place={quote(found['city'])}",
        "list ?remote": "/offres/?remote=on",
        "list ?language": "/offres/?language=nl",
        "list ?closing_soon": "/offres/?closing_soon=on",
        "list ?closed": "/offres/?closed=on&sort=deadline",
        "list ?q (search)": "/offres/?q=communication",
        "list deep page": f"/offres/?page={max(1, found['pages'] - 1)}",
    }


def public_pages(found: dict) -> dict[str, str]:
    return {
        "detail": found["offer"],
        "home": "/",
        "feed (RSS)": "/offres/flux.rss",
        "sitemap (index)": "/sitemap.xml",
        "sitemap (500 offers)": "/sitemap-offers.xml",
    }


def warm(server: Server, path: str, headers: dict | None = None):
    """Visit `path` in every worker, as visitors would have before: each worker keeps its own page
    cache here (no REDIS_URL), compiles a template at its first use, and a worker's first visit,
    left to the load, showed in its p99."""

    def visit(_):
        request = urllib.request.Request(server.base + path, headers=headers or {})
        return urllib.request.urlopen(request, timeout=120).read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):  # a few visits at once: each worker takes some
            list(pool.map(visit, range(4)))


# Each page is measured in rounds, each round the bare view for a second, then the page: the ratio is the page's
# requests a second over the bare view's in those same rounds. This machine's speed drifts with its host's other
# work, and the bare view, the fastest and so the most sensitive to it, is the noisiest figure: against one bare
# view measured minutes before, an unchanged offer page went from 0.28x to 0.19x between two runs; against two
# seconds of it just before, from 0.21x to 0.37x (PostgreSQL, the same code, the page itself at 570-610 req/s).
ROUNDS = 3
BARE_SECONDS = 1


def measure_public(server: Server, found: dict, duration: int, connections: int) -> dict:
    bare_url = f"{server.base}/bench/bare"
    results = {"bare": wrk(bare_url, duration, connections)}
    page_seconds = max(1, round(duration / ROUNDS))
    for name, path in {**list_variants(found), **public_pages(found)}.items():
        warm(server, path)
        bare_rounds, page_rounds = [], []
        for _ in range(ROUNDS):
            bare_rounds.append(wrk(bare_url, BARE_SECONDS, connections))
            page_rounds.append(wrk(server.base + path, page_seconds, connections))
            settle(server)
        results[name] = combined(page_rounds) | {"bare_rps": combined(bare_rounds)["rps"]}
    return results


def combined(rounds: list[dict]) -> dict:
    """Several wrk runs as one: requests over seconds, percentiles of all their requests' latencies."""
    merged = collections.Counter()
    for figures in rounds:
        merged.update(dict(figures["latencies"]))
    return {
        "rps": sum(figures["requests"] for figures in rounds) / sum(figures["seconds"] for figures in rounds),
        **percentiles(sorted(merged.items())),
        "errors": sum(figures["errors"] for figures in rounds),
    }


def measure_search(server: Server, duration: int) -> dict:
    """One visitor at a time, a different word each request: the search's own time, uncached."""
    paths = [f"/offres/?q={word}" for word in SEARCH_WORDS]
    settle(server)
    return wrk(server.base + paths[0], duration, 1, args=paths)


def measure_staff(server: Server, found: dict, duration: int) -> dict:
    results = {}
    recruiter = Session(server.base)
    recruiter.login(RECRUITER, PASSWORD)
    changelist = "/admin/applications/application/"
    for name, path in {
        "admin list": changelist,
        "admin list ?status": changelist + "?status=received",
        "admin list ?o=date": changelist + "?o=-5",
    }.items():
        warm(server, path, headers=dict([recruiter.header().split(": ", 1)]))
        results[name] = wrk(server.base + path, duration, 1, headers=[recruiter.header()])

    page = recruiter.get(changelist)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    first_id = re.search(r'name="_selected_action" value="([^"]+)"', page).group(1)

    def export():
        started = time.monotonic()
        response = recruiter.post(
            changelist,
            {"csrfmiddlewaretoken": token, "action": "export_csv", "select_across": "1", "index": "0"}
            | {"_selected_action": first_id},
        )
        first = response.read(1)
        first_byte = time.monotonic() - started
        size, lines = len(first), 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
        return {"first_byte_s": first_byte, "total_s": time.monotonic() - started, "rows": lines - 1, "bytes": size}

    growth, figures = peak_growth_mb(server, export)
    results["export"] = {**figures, "growth_mb": growth}
    return results


def measure_applying(server: Server, found: dict, duration: int, connections: int) -> dict:
    candidate = Session(server.base)
    form = candidate.get(found["apply"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    digest = re.search(r'name="notice_digest" value="([^"]+)"', form).group(1)
    cv, letter = WORK_DIR / "cv-2mb.pdf", WORK_DIR / "letter.pdf"
    cv.write_bytes(pdf_of_size(2 * 1000 * 1000))
    letter.write_bytes(pdf_of_size(20 * 1000))

    def upload():
        form = candidate.get(found["apply"])
        key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
        response = candidate.post(
            found["apply"],
            {
                "csrfmiddlewaretoken": token,
                "first_name": "Camille",
                "last_name": "Upload",
                "email": f"upload-{key}@{LOAD_DOMAIN}",
                "consents_to_political_data": "on",
                "submission_key": key,
                "notice_digest": digest,
            },
            {"cv": ("cv.pdf", pdf_of_size(10 * 1000 * 1000)), "letter": ("letter.pdf", letter.read_bytes())},
        )
        return response.geturl()

    growth, landed_on = peak_growth_mb(server, upload)
    if "/candidature/" not in landed_on:
        raise SystemExit(f"The 10 MB application was not accepted (ended on {landed_on}).")
    upload_growth = growth
    results = {
        "apply (POST, 2 MB PDF)": wrk(
            server.base + found["apply"],
            duration,
            connections,
            script="apply.lua",
            args=[found["apply"], token, digest, str(cv), str(letter)],
            headers=[candidate.header()],
        )
    }

    results["upload"] = {"growth_mb": upload_growth}
    return results


# Report


def ratio(figures: dict, bare: dict) -> float:
    """To the bare view measured in the same rounds, if it was (`measure_public`)."""
    return figures["rps"] / figures.get("bare_rps", bare["rps"])


def row(name: str, figures: dict, bare: dict) -> str:
    ratio_to_bare = ratio(figures, bare)
    errors = f"  {figures['errors']} errors" if figures["errors"] else ""
    return (
        f"{name:<24} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.1f} ms  p99 {figures['p99']:>7.1f} ms"
        f"  {ratio_to_bare:>5.2f}x{errors}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    # One SQLite file per size, kept between runs: seeding is the slow part.
    default_database = WORK_DIR / f"bench-{options.offers}-{options.applications}.sqlite3"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_database}"
    cached, uncached = site_environment(database_url, 300), site_environment(database_url, 0)

    started = time.monotonic()
    manage(cached, "migrate", "--noinput", "--verbosity", "0")
    forget_submissions(cached)
    manage(cached, "seed_bench", "--offers", str(options.offers), "--applications", str(options.applications))
    manage(cached, "collectstatic", "--noinput", "--verbosity", "0")
    log(f"Seeded in {time.monotonic() - started:.0f} s ({database_url.split(':')[0]}).")
    found = targets(cached)

    d, c = options.duration, options.connections
    log(f"\nLoad: wrk, {c} connections, {d} s per endpoint, gunicorn with 2 workers, DEBUG off.")
    with Server(cached, free_port()) as server:
        with_cache = measure_public(server, found, d, c)
    # Fresh workers: a worker keeps the memory it once used, which would hide what an export
    # or an upload costs. The export comes first; the 10 MB upload before the load of 2 MB ones.
    with Server(cached, free_port()) as server:
        staff = measure_staff(server, found, d)
        applying = measure_applying(server, found, d, c)
    with Server(uncached, free_port()) as server:
        without_cache = measure_public(server, found, d, c)
        search = measure_search(server, d)

    forget_submissions(cached)

    for title, results in (("Cached (anonymous visitors)", with_cache), ("Uncached", without_cache)):
        log(f"\n{title}: {'':<10} req/s, latency, ratio to the bare view measured alongside")
        for name, figures in results.items():
            log(row(name, figures, results["bare"]))
    log(f"\nSearch, one visitor at a time, uncached: p50 {search['p50']:.1f} ms, p95 {search['p95']:.1f} ms")
    log(f"\nStaff, one at a time (a {BIG_ORGANISATION} recruiter):")
    for name in ("admin list", "admin list ?status", "admin list ?o=date"):
        log(row(name, staff[name], with_cache["bare"]) + f"  p95 {staff[name]['p95']:.1f} ms")
    export = staff["export"]
    log(
        f"CSV export: {export['rows']} rows, {export['bytes'] / 1e6:.1f} MB,"
        f" first byte after {export['first_byte_s']:.2f} s, all in {export['total_s']:.1f} s,"
        f" worker memory +{export['growth_mb']:.1f} MB"
    )
    log(row("apply (POST, 2 MB PDF)", applying["apply (POST, 2 MB PDF)"], with_cache["bare"]))
    log(f"10 MB upload: worker memory +{applying['upload']['growth_mb']:.1f} MB")

    list_names = list_variants(found)
    list_ratio = min(ratio(with_cache[name], with_cache["bare"]) for name in list_names)
    detail_ratio = ratio(with_cache["detail"], with_cache["bare"])

    def uncached(name):
        return ratio(without_cache[name], without_cache["bare"])

    # The text search has a budget of its own (its p95, above): the slowest filter is shown apart from it.
    slowest = min(list_names, key=uncached)
    slowest_filter = min((name for name in list_names if "search" not in name), key=uncached)
    log(
        f"\nUncached: list {uncached(slowest):.2f}x (slowest: {slowest}), {uncached(slowest_filter):.2f}x"
        f" without the text search (slowest: {slowest_filter}), detail {uncached('detail'):.2f}x"
    )
    log(
        f"list {list_ratio:.2f}x, detail {detail_ratio:.2f}x, search p95 {search['p95']:.0f} ms,"
        f" upload +{applying['upload']['growth_mb']:.0f} MB, export +{export['growth_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
