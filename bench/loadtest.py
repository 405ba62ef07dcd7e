"""`make loadtest`: candidates applying at once to the production-like stack, then the same under faults.

    python -m bench.loadtest

The stack is the one of `make prod-up` (bench/prod.py), started here when it is not running. Every
request is a real form POST over HTTP, with the CSRF token, submission_key and notice_digest the form
gave, and two PDFs (100 to 500 KB, different for each candidate). Parts:

1. load: 200 candidates apply at once; then the worker delivers the e-mails and has the documents scanned;
2. a gunicorn worker killed (SIGKILL) while submissions are in flight;
3. the S3 storage down during submissions;
4. the mail server down during submissions;
5. PostgreSQL restarted during submissions.

After a fault, a candidate whose submission failed sends the same form again (same submission_key),
as the browser's back button and "send" would, at most RESEND_ROUNDS times. Outcomes of a POST:
stored (the "sent" page), refused (the designed 503 "your application was NOT saved" page, nothing
kept), no answer (the connection dropped: its worker was killed), server error (any other 5xx: not
designed, counted against the run) and client error (a 4xx, unexpected here).

At the end, for every candidate of the run: one application with its CV and letter, both objects in
the bucket; no object that no row names; one acknowledgement e-mail per application and one
notification to the organisation's address. The last line sums it up:
`N submitted, N stored, N lost, N duplicated, N server errors`; the exit code is 1 unless the last
three are 0 and no orphan object, missing e-mail or unscanned document remains.
"""

import http.client
import os
import random
import re
import signal
import statistics
import sys
import threading
import time
import urllib.error
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.parser import BytesHeaderParser

from bench import prod
from bench.run import Session, pdf_of_size

LOAD_CANDIDATES = 200
FAULT_CANDIDATES = 30
DOCUMENT_BYTES = (100_000, 500_000)
RESEND_ROUNDS = 3
SETTLE_SECONDS = 180
STALL_SECONDS = 15
ORGANISATION = "loadtest"
OFFER = "loadtest-offer"
DOMAIN = "loadtest.example.org"
RECRUITING_ADDRESS = f"recrutement@{DOMAIN}"
SENT_PATH = "/candidature/envoyee/"

STORED, REFUSED, NO_ANSWER, SERVER_ERROR, CLIENT_ERROR = (
    "stored",
    "refused",
    "no answer",
    "server error",
    "client error",
)


def log(message: str = ""):
    print(message, flush=True)


def wait_for(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# The candidates


class Candidate:
    """One person with the offer's form open in their browser: its cookies, token and files."""

    in_flight = 0
    lock = threading.Lock()

    def __init__(self, base: str, path: str, email: str):
        self.session, self.path, self.email = Session(base), path, email
        self.outcomes: list[str] = []
        self.statuses: list[int] = []
        self.latencies: list[float] = []

    def open_form(self):
        form = self.session.get(self.path)
        found = {
            name: re.search(rf'name="{name}" value="([^"]+)"', form).group(1)
            for name in ("csrfmiddlewaretoken", "submission_key", "notice_digest")
        }
        self.fields = {
            **found,
            "first_name": "Camille",
            "last_name": self.email.split("@")[0],
            "email": self.email,
            "consents_to_political_data": "on",
        }
        self.files = {
            "cv": ("cv.pdf", pdf_of_size(random.randint(*DOCUMENT_BYTES))),
            "letter": ("lettre.pdf", pdf_of_size(random.randint(*DOCUMENT_BYTES))),
        }

    def send(self) -> str:
        """POST the form (the same one every time: same submission_key); what became of it."""
        with Candidate.lock:
            Candidate.in_flight += 1
        started = time.monotonic()
        status = 0
        try:
            response = self.session.post(self.path, self.fields, self.files)
            response.read()
            status = response.status
            outcome = STORED if SENT_PATH in response.geturl() else CLIENT_ERROR
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
            if status == 503 and error.headers.get("Retry-After"):
                outcome = REFUSED  # applications/not_saved.html: nothing kept, send it again later
            else:
                outcome = SERVER_ERROR if status >= 500 else CLIENT_ERROR
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            outcome = NO_ANSWER
        finally:
            with Candidate.lock:
                Candidate.in_flight -= 1
        self.latencies.append(time.monotonic() - started)
        self.outcomes.append(outcome)
        self.statuses.append(status)
        return outcome

    @property
    def succeeded(self) -> bool:
        return STORED in self.outcomes


def candidates(state: dict, run: str, part: str, count: int) -> list[Candidate]:
    base, path = prod.base_url(state), f"/offres/{OFFER}/postuler/"
    people = [Candidate(base, path, f"{part}{number}-{run}@{DOMAIN}") for number in range(count)]
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(Candidate.open_form, people))
    return people


def send_all(people: list[Candidate], concurrency: int, meanwhile=None):
    """Send every form, `concurrency` at a time; `meanwhile(futures)` runs in this thread until they end."""
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(person.send) for person in people]
        if meanwhile:
            meanwhile(futures)
        for future in futures:
            future.result()


def resend_failed(people: list[Candidate], concurrency: int = 4) -> int:
    """Send again, with the same form, what did not end on the "sent" page; how many were sent again."""
    resent = set()
    for _ in range(RESEND_ROUNDS):
        failed = [person for person in people if not person.succeeded]
        if not failed:
            break
        resent.update(person.email for person in failed)
        send_all(failed, concurrency)
        time.sleep(1)
    return len(resent)


def first_attempts(people: list[Candidate]) -> str:
    counts = Counter(person.outcomes[0] for person in people)
    return (
        ", ".join(
            f"{counts[outcome]} {outcome}"
            for outcome in (STORED, REFUSED, NO_ANSWER, SERVER_ERROR, CLIENT_ERROR)
            if counts[outcome]
        )
        or "none"
    )


def done(futures) -> int:
    return sum(future.done() for future in futures)


# What the stack kept


def django_setup(state: dict):
    os.environ.update(prod.site_environment(state))
    import django

    django.setup()


def fresh_connection():
    """This process's database connection may predate PostgreSQL's restart."""
    from django.db import connections

    connections.close_all()


def prepare_offer():
    """The organisation and its open offer, made or brought up to date; earlier runs' applications forgotten."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from applications.models import Application
    from offers.models import Country, Offer, Organisation, Place

    now = timezone.now()
    organisation, _ = Organisation.objects.update_or_create(
        slug=ORGANISATION,
        defaults={"name": "Load test", "country": Country.BELGIUM, "applications_email": RECRUITING_ADDRESS},
    )
    offer, _ = Offer.objects.update_or_create(
        slug=OFFER,
        defaults={
            "organisation": organisation,
            "title": "Chargé·e de mission (load test)",
            "contract_type": Offer.ContractType.FIXED_TERM,
            "missions": "- Répondre à beaucoup de candidatures à la fois",
            "pay_min": Decimal("2400"),
            "pay_max": Decimal("2600"),
            "deadline": now + timedelta(days=30),
            "status": Offer.Status.PUBLISHED,
            "published_at": now - timedelta(days=1),
            "apply_method": Offer.ApplyMethod.BOARD,
            "asks_for_letter": True,
        },
    )
    Place.objects.get_or_create(offer=offer, position=0, defaults={"locality": "Bruxelles", "country": Country.BELGIUM})
    deleted = Application.objects.filter(offer=offer).count()
    Application.objects.filter(offer=offer).delete()
    return deleted


def bucket_keys(state: dict) -> list[str]:
    # Straight to the S3 server, not through the relay the storage fault stops.
    client = prod.s3_client(state, "moto_port")
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=prod.BUCKET):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


def received_mail() -> Counter:
    """Messages the SMTP server kept, by recipient."""
    counts = Counter()
    for path in prod.MAIL_DIR.glob("*.eml"):
        with path.open("rb") as message:
            for recipient in BytesHeaderParser().parse(message)["X-Envelope-To"].split(","):
                counts[recipient.strip().lower()] += 1
    return counts


def delete_orphans(env: dict) -> int:
    output = prod.manage(env, "delete_orphan_files", "--min-age", "0", capture=True)
    return int(re.search(r"Orphan files: (\d+) deleted", output).group(1))


def settle(people: list[Candidate], seconds: float = SETTLE_SECONDS) -> tuple[bool, float]:
    """Wait until the worker has sent these candidates' e-mails and scanned their documents; (done, seconds).

    Gives up early when nothing moved for STALL_SECONDS: what is left waits for the safety nets (an
    e-mail whose task died with the worker, a scan or e-mail whose task could not be enqueued)."""
    from applications.models import Document, Email

    emails = [person.email for person in people]
    started = time.monotonic()
    last = {"left": None, "moved": started}

    def settled():
        fresh_connection()
        left = Email.objects.pending().filter(application__email__in=emails).count()
        left += Document.objects.filter(application__email__in=emails, scan_status=Document.ScanStatus.PENDING).count()
        if left != last["left"]:
            last.update(left=left, moved=time.monotonic())
        return left == 0 or time.monotonic() - last["moved"] > STALL_SECONDS

    wait_for(settled, seconds, step=0.5)
    return last["left"] == 0, time.monotonic() - started


def check(state: dict, people: list[Candidate]) -> dict:
    """What the stack kept of these candidates' applications."""
    from applications.models import Application, Document

    fresh_connection()
    emails = [person.email for person in people]
    rows = Counter(Application.objects.filter(email__in=emails).values_list("email", flat=True))
    documents = {}
    for email, kind, name in Document.objects.filter(application__email__in=emails).values_list(
        "application__email", "kind", "file"
    ):
        documents.setdefault(email, []).append((kind, name))
    keys = set(bucket_keys(state))
    names = Counter(name for found in documents.values() for _, name in found)
    mail = received_mail()
    intact = [
        person
        for person in people
        if rows[person.email] == 1
        and sorted(kind for kind, _ in documents.get(person.email, []))
        == sorted([Document.Kind.CV, Document.Kind.LETTER])
        and all(name in keys for _, name in documents[person.email])
    ]
    return {
        "submitted": len(people),
        "stored": len(intact),
        "seen_stored_but_missing": sum(1 for person in people if person.succeeded and person not in intact),
        # A row kept without both its files, or kept though the candidate was told it was not.
        "half_written": sum(1 for person in people if rows[person.email] and person not in intact)
        + sum(1 for person in people if rows[person.email] and person.outcomes[-1] == REFUSED),
        "extra_rows": sum(count - 1 for count in rows.values() if count > 1),
        "extra_documents": sum(max(0, len(found) - 2) for found in documents.values()),
        "names_shared": sum(count - 1 for count in names.values() if count > 1),
        "objects": sum(1 for name in names if name in keys),
        "acknowledged": sum(1 for person in intact if mail[person.email] >= 1),
        "extra_acknowledgements": sum(max(0, mail[person.email] - 1) for person in people),
        "scanned_clean": Document.objects.filter(
            application__email__in=emails, scan_status=Document.ScanStatus.CLEAN
        ).count(),
        "documents": sum(len(found) for found in documents.values()),
    }


def duplicated(figures: dict) -> int:
    return (
        figures["extra_rows"] + figures["extra_documents"] + figures["names_shared"] + figures["extra_acknowledgements"]
    )


def kept(figures: dict) -> str:
    return (
        f"{figures['stored']}/{figures['submitted']} stored with both documents"
        f" ({figures['seen_stored_but_missing']} seen stored but missing), {duplicated(figures)} duplicated"
    )


# The parts


def load(state: dict, run: str) -> list[Candidate]:
    log(f"\n1. Load: {LOAD_CANDIDATES} candidates applying at once, CV and letter of 100–500 KB each")
    people = candidates(state, run, "load", LOAD_CANDIDATES)
    barrier = threading.Barrier(LOAD_CANDIDATES, timeout=60)

    def at_once(person):
        barrier.wait()  # every form is posted at the same moment
        return person.send()

    started = time.monotonic()
    with ThreadPoolExecutor(LOAD_CANDIDATES) as pool:
        list(pool.map(at_once, people))
    elapsed = time.monotonic() - started
    latencies = sorted(person.latencies[0] * 1000 for person in people)
    stored = sum(person.succeeded for person in people)
    log(f"   answers: {first_attempts(people)}, in {elapsed:.1f} s")
    log(
        f"   {stored / elapsed:.1f} applications/s, latency p50 {statistics.median(latencies):.0f} ms,"
        f" p99 {latencies[min(len(latencies) - 1, round(0.99 * len(latencies)))]:.0f} ms, max {latencies[-1]:.0f} ms"
    )
    settled, waited = settle(people)
    log(
        f"   worker: e-mails sent and documents scanned {waited:.1f} s after the last answer"
        + ("" if settled else " (NOT settled)")
    )
    figures = check(state, people)
    orphans = len(set(bucket_keys(state)) - all_document_names())
    log(f"   {kept(figures)}")
    log(
        f"   bucket: {figures['objects']}/{figures['documents']} documents' objects present,"
        f" {figures['names_shared']} named twice, {orphans} orphan objects;"
        f" {figures['scanned_clean']} documents scanned clean"
    )
    log(
        f"   e-mails: {figures['acknowledged']}/{figures['stored']} acknowledgements received,"
        f" {figures['extra_acknowledgements']} extra"
    )
    return people


def all_document_names() -> set[str]:
    from applications.models import Document

    fresh_connection()
    return set(Document.objects.values_list("file", flat=True))


def gunicorn_worker_killed(state: dict, env: dict, run: str) -> list[Candidate]:
    log(f"\n2. A gunicorn worker killed (SIGKILL) twice during {FAULT_CANDIDATES} submissions, 8 at a time")
    people = candidates(state, run, "kill", FAULT_CANDIDATES)
    killed = []

    def kill_workers(futures):
        for after in (4, 14):
            wait_for(lambda after=after: done(futures) >= after and Candidate.in_flight >= 4, 60)
            workers = prod.gunicorn_workers()
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            wait_for(lambda: len(prod.gunicorn_workers()) == prod.WEB_WORKERS, 30)

    send_all(people, 8, kill_workers)
    log(f"   killed {len(killed)} workers; first answers: {first_attempts(people)}")
    resent = resend_failed(people)
    orphans = delete_orphans(env)
    figures = check(state, people)
    log(f"   {resent} sent again with the same submission_key; {kept(figures)}")
    log(f"   orphan objects deleted afterwards by delete_orphan_files --min-age 0: {orphans}")
    return people


def storage_down(state: dict, env: dict, run: str) -> list[Candidate]:
    log(f"\n3. The S3 storage down during {FAULT_CANDIDATES} submissions, 4 at a time")
    people = candidates(state, run, "s3", FAULT_CANDIDATES)
    outage = {}

    def outage_then_back(futures):
        wait_for(lambda: done(futures) >= 6, 60)
        prod.stop("s3-relay")
        outage["start"] = time.monotonic()
        wait_for(lambda: done(futures) >= 18, 90)
        prod.start_s3_relay(state)
        outage["seconds"] = time.monotonic() - outage["start"]

    send_all(people, 4, outage_then_back)
    log(f"   storage down {outage['seconds']:.1f} s; first answers: {first_attempts(people)}")
    half_written = check(state, people)["half_written"]
    resent = resend_failed(people)
    orphans = delete_orphans(env)
    figures = check(state, people)
    log(f"   half-written applications (a row without its files, or kept though refused): {half_written}")
    log(f"   {resent} sent again after the storage came back; {kept(figures)}")
    log(f"   orphan objects deleted afterwards by delete_orphan_files --min-age 0: {orphans}")
    return people


def mail_down(state: dict, env: dict, run: str) -> list[Candidate]:
    from applications.models import Email

    log(f"\n4. The mail server down during {FAULT_CANDIDATES} submissions, 4 at a time")
    people = candidates(state, run, "mail", FAULT_CANDIDATES)
    emails = [person.email for person in people]
    prod.stop("smtp")
    send_all(people, 4)
    log(f"   first answers: {first_attempts(people)}")

    def all_tried():
        fresh_connection()
        waiting = Email.objects.filter(application__email__in=emails)
        return waiting.filter(attempts=0).count() == 0 and waiting.exists()

    tried = wait_for(all_tried, 60, step=0.5)
    fresh_connection()
    waiting = Email.objects.filter(application__email__in=emails)
    log(
        f"   e-mails after the worker's attempts: {waiting.filter(status=Email.Status.PENDING).count()} pending,"
        f" {waiting.filter(status=Email.Status.SENT).count()} sent" + ("" if tried else " (not all tried yet)")
    )
    prod.start_smtp(state)
    output = prod.manage(env, "send_pending_emails", capture=True).strip()
    log(f"   mail server back; send_pending_emails: {output}")
    resend_failed(people)
    return people


def database_restarted(state: dict, run: str) -> list[Candidate]:
    log(f"\n5. PostgreSQL restarted during {FAULT_CANDIDATES} submissions, 6 at a time")
    people = candidates(state, run, "db", FAULT_CANDIDATES)
    restart = {}

    def restart_database(futures):
        wait_for(lambda: done(futures) >= 6, 60)
        started = time.monotonic()
        prod.restart_postgresql()
        restart["seconds"] = time.monotonic() - started

    send_all(people, 6, restart_database)
    log(f"   restart took {restart['seconds']:.1f} s; first answers: {first_attempts(people)}")
    errors = Counter(person.statuses[0] for person in people if person.outcomes[0] == SERVER_ERROR)
    if errors:
        log(
            f"   server errors while the database was down: {dict(errors)} (not the designed 503 page:"
            " the form's view failed before reaching store(); counted as server errors)"
        )
    resent = resend_failed(people)
    figures = check(state, people)
    log(f"   {resent} sent again; {kept(figures)}")
    return people


def main():
    started = time.monotonic()
    state = prod.up()
    env = prod.site_environment(state)
    django_setup(state)
    forgotten = prepare_offer()
    removed = delete_orphans(env)
    for message in prod.MAIL_DIR.glob("*.eml"):
        message.unlink()
    restarts_file = prod.WORK_DIR / "worker.restarts"
    restarts_before = int(restarts_file.read_text()) if restarts_file.exists() else 0
    run = uuid.uuid4().hex[:6]
    log(f"\nRun {run}: offer /offres/{OFFER}/ ({forgotten} applications and {removed} objects of earlier runs removed)")

    everyone = load(state, run)
    everyone += gunicorn_worker_killed(state, env, run)
    everyone += storage_down(state, env, run)
    everyone += mail_down(state, env, run)
    everyone += database_restarted(state, run)

    log("\nAfter the faults")
    settled, waited = settle(everyone, 120)
    log(f"   worker: {'done' if settled else 'nothing more done'} {waited:.1f} s after the last answer")
    # The safety nets a scheduler runs (README, Deploying): scans that failed while the storage was
    # down, e-mails whose next attempt is still minutes away.
    log(f"   scan_documents: {prod.manage(env, 'scan_documents', capture=True).strip()}")
    log(f"   send_pending_emails: {prod.manage(env, 'send_pending_emails', capture=True).strip()}")
    settled, waited = settle(everyone, 60)
    restarts = (int(restarts_file.read_text()) if restarts_file.exists() else 0) - restarts_before
    log(f"   worker restarted {restarts} times by its supervisor; settled: {'yes' if settled else 'NO'}")
    orphans = len(set(bucket_keys(state)) - all_document_names())
    figures = check(state, everyone)
    notifications = received_mail()[RECRUITING_ADDRESS]
    refused = sum(person.outcomes.count(REFUSED) for person in everyone)
    no_answer = sum(person.outcomes.count(NO_ANSWER) for person in everyone)
    client_errors = sum(person.outcomes.count(CLIENT_ERROR) for person in everyone)
    server_errors = sum(person.outcomes.count(SERVER_ERROR) for person in everyone)
    statuses = Counter(
        status
        for person in everyone
        for status, outcome in zip(person.statuses, person.outcomes, strict=True)
        if outcome == SERVER_ERROR
    )
    missing_mail = (figures["stored"] - figures["acknowledged"]) + max(0, figures["stored"] - notifications)
    unscanned = figures["documents"] - figures["scanned_clean"]
    log(f"   {kept(figures)}; {orphans} orphan objects in the bucket")
    log(
        f"   e-mails: {figures['acknowledged']} acknowledgements for {figures['stored']} applications"
        f" ({figures['extra_acknowledgements']} extra), {notifications} notifications to the organisation"
    )
    log(f"   documents scanned clean: {figures['scanned_clean']}/{figures['documents']}")
    log(
        f"   POSTs: {sum(len(person.outcomes) for person in everyone)}; refused with the designed 503 (nothing kept,"
        f" sent again): {refused}; no answer (worker killed): {no_answer}; 4xx: {client_errors};"
        f" unexpected 5xx: {server_errors}" + (f" {dict(statuses)}" if statuses else "")
    )
    log(f"   whole run: {time.monotonic() - started:.0f} s")
    lost = figures["submitted"] - figures["stored"]
    dup = duplicated(figures) + max(0, notifications - figures["stored"])
    problems = orphans + missing_mail + unscanned + client_errors
    if problems:
        log(
            f"   NOT CLEAN: {orphans} orphan objects, {missing_mail} e-mails missing,"
            f" {unscanned} documents not scanned clean, {client_errors} 4xx"
        )
    log(
        f"{figures['submitted']} submitted, {figures['stored']} stored, {lost} lost, {dup} duplicated,"
        f" {server_errors} server errors"
    )
    sys.exit(1 if lost or dup or server_errors or problems else 0)


if __name__ == "__main__":
    main()
