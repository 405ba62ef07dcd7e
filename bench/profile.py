"""What one page costs inside Django, and where the time goes: no HTTP server, no load generator.

    python -m bench.profile /offres/?place=Namur [--requests 300] [--profile cumulative]

It reads the database `make bench` seeded (SQLite in var/bench/ for the default size, or
DATABASE_URL), with the benchmark's production settings and the page cache off, as `make bench`
measures "uncached". Each page is asked for through Django's test client, so every middleware
runs; the best of three rounds is printed, then, with --profile, cProfile's top functions sorted
by that column (cumulative, tottime…). `make bench`'s uncached ratio is about 0.67 / (ms + 0.4)
on the 2-core machine it was written on: 5 ms a list page for 0.12x, 2.3 ms an offer page for 0.25x.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

from bench.run import HOST, WORK_DIR, site_environment


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the page, e.g. /offres/ or /offres/<slug>/")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", metavar="SORT", help="print cProfile's top functions, sorted by SORT")
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    options = parser.parse_args()

    default_database = WORK_DIR / f"bench-{options.offers}-{options.applications}.sqlite3"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_database}"
    if database_url.startswith("sqlite") and not default_database.exists():
        sys.exit(f"No benchmark database at {default_database}: run `make bench` first.")
    os.environ.update(site_environment(database_url, page_cache_seconds=0))

    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    for _ in range(20):  # templates compiled, connection open, menus and cards kept
        status = client.get(options.path).status_code
        if status != 200:
            sys.exit(f"{options.path} answered {status}")

    def run():
        for _ in range(options.requests):
            client.get(options.path)

    rounds = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        rounds.append((time.perf_counter() - started) / options.requests * 1000)
    print(f"{options.path}: {min(rounds):.2f} ms a request (rounds: {', '.join(f'{r:.2f}' for r in rounds)})")

    if options.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats(options.profile).print_stats(40)


if __name__ == "__main__":
    main()
