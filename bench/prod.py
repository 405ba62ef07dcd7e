"""`make prod-up`, `make prod-down`: the site as deployed, on this machine, every service on loopback.

    python -m bench.prod up      # starts what is not running yet, waits for /healthz, prints the URL
    python -m bench.prod down    # stops what `up` started, by the PIDs it recorded

The stack: PostgreSQL (the machine's, database jobboard_prod), Redis (the machine's, a database
number of its own), an S3 server (moto's) with the documents' bucket, ClamAV's daemon with the
test signature of the suite, an SMTP server that keeps every message as a file, gunicorn (2
workers, production settings) and the task worker (`db_worker`, restarted whenever it stops, as a
service manager would). State, logs and PIDs live in var/prod/. PostgreSQL and Redis are started
only when they are down, and then only those are stopped again by `down`.

moto keeps its objects in memory: stopping it loses them, which no real S3 server does. The site
therefore reaches it through a relay of its own (`relay` below), the S3 endpoint the site knows:
the load test's storage outage stops the relay, so that the site finds nothing listening there,
and the objects outlive the outage as they would on a real server.
"""

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / "var" / "prod"
MAIL_DIR = WORK_DIR / "mail"
STATE = WORK_DIR / "stack.json"
HOST = "127.0.0.1"

POSTGRES_PORT = 5432
POSTGRES_SERVER = f"postgres://postgres@{HOST}:{POSTGRES_PORT}"
DATABASE = "jobboard_prod"
REDIS_PORT = 6379
REDIS_DB = 5  # the tests use 0: the stack's cache and rate limits stay apart
BUCKET = "jobboard-prod-documents"
REGION = "eu-west-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "prod-stack-key", "AWS_SECRET_ACCESS_KEY": "prod-stack-secret"}
WEB_WORKERS = 2
START_SECONDS = 60
STOP_SECONDS = 30

# What each PID file's process runs: a PID reused by another program is never signalled.
SERVICES = {
    "gunicorn": "gunicorn",
    "worker": "bench.prod supervise",
    "smtp": "bench.prod smtp",
    "clamd": "clamd",
    "s3-relay": "bench.prod relay",
    "s3": "moto.server",
    "redis": "redis-server",
    "postgresql": "postgres",
}


def log(message: str):
    print(message, flush=True)


# Processes and their PID files


def pid_file(name: str) -> Path:
    return WORK_DIR / f"{name}.pid"


def running_pid(name: str) -> int | None:
    """The PID recorded for `name`, if that process still runs the program it was started as."""
    try:
        pid = int(pid_file(name).read_text())
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    if state == "Z" or SERVICES[name] not in command:
        return None
    return pid


def spawn(name: str, command: list[str], env: dict | None = None, log_name: str | None = None) -> int:
    """Start `command` in a session of its own (it outlives this process and ignores its terminal)."""
    with open(WORK_DIR / f"{log_name or name}.log", "ab") as output:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env or os.environ,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file(name).write_text(str(process.pid))
    return process.pid


def stop(name: str, stop_signal=signal.SIGTERM) -> bool:
    """Stop the process recorded for `name`, and wait until it is gone; False when none was running."""
    pid = running_pid(name)
    pid_file(name).unlink(missing_ok=True)
    if pid is None:
        return False
    os.kill(pid, stop_signal)
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or _is_zombie(pid):
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return True


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As the servers bind: a port whose last connections are still closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True


def answers(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_until(check, what: str, log_name: str, seconds: float = START_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not start within {seconds:.0f} s; see {WORK_DIR / log_name}.log")


# State: ports and secrets, chosen once and kept between runs


def load_state() -> dict:
    try:
        return json.loads(STATE.read_text())
    except FileNotFoundError:
        return {}


def save_state(state: dict):
    STATE.write_text(json.dumps(state, indent=2) + "\n")
    STATE.chmod(0o600)


def port_for(state: dict, name: str, service: str) -> int:
    """The port `name` had last time when it is still ours or free, else a new free one."""
    port = state.get(name)
    if port is None or (running_pid(service) is None and not port_is_free(port)):
        port = state[name] = free_port()
    return port


def site_environment(state: dict) -> dict:
    return {**os.environ, **site_settings(state)}


def site_settings(state: dict) -> dict:
    """The variables the stack sets for the site (jobboard/settings.py reads them)."""
    return {
        "DJANGO_SETTINGS_MODULE": "jobboard.settings",
        "DEBUG": "False",
        "SECRET_KEY": state["secret_key"],
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}:{state['web_port']}",
        # Plain HTTP on loopback: no redirect to HTTPS, and cookies that travel without it.
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{POSTGRES_SERVER}/{DATABASE}",
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/{REDIS_DB}",
        "PRIVATE_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{state['s3_port']}",
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        **CREDENTIALS,
        "CLAMAV_SOCKET": state["clamd_socket"],
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(state["smtp_port"]),
        "EMAIL_USE_TLS": "False",
        # The load test sends hundreds of applications from one address.
        "APPLICATION_RATE_LIMIT": "1000000000",
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "private"),
        "PORT": str(state["web_port"]),
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        "LOG_LEVEL": "WARNING",
    }


def base_url(state: dict) -> str:
    return f"http://{HOST}:{state['web_port']}"


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


# The services


def postgresql_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def postgresql_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", str(POSTGRES_PORT)]).returncode == 0


def postgresql_pid() -> int:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=5) as connection:
        directory = connection.execute("SHOW data_directory").fetchone()[0]
    return int((Path(directory) / "postmaster.pid").read_text().split()[0])


def pg_ctlcluster(action: str):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", postgresql_version(), "main", action],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ensure_postgresql():
    if postgresql_ready():
        log("PostgreSQL: running" + (" (started by prod-up)" if running_pid("postgresql") else ""))
    else:
        pg_ctlcluster("start")
        wait_until(postgresql_ready, "PostgreSQL", "postgresql")
        pid_file("postgresql").write_text(str(postgresql_pid()))
        log("PostgreSQL: started")
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
            log(f"PostgreSQL: database {DATABASE} created")


def restart_postgresql():
    """Restart the machine's PostgreSQL (the load test's fault); the PID file follows it when it is ours."""
    ours = running_pid("postgresql") is not None
    pg_ctlcluster("restart")
    wait_until(postgresql_ready, "PostgreSQL", "postgresql")
    if ours:
        pid_file("postgresql").write_text(str(postgresql_pid()))


def redis_ready() -> bool:
    import redis

    try:
        return redis.Redis(host=HOST, port=REDIS_PORT, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def ensure_redis():
    if redis_ready():
        log("Redis: running" + (" (started by prod-up)" if running_pid("redis") else ""))
        return
    command = ["redis-server", "--bind", HOST, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"]
    spawn("redis", command + ["--dir", str(WORK_DIR)])
    wait_until(redis_ready, "Redis", "redis")
    log("Redis: started")


def s3_client(state: dict, port_key: str = "s3_port"):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{state[port_key]}",
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def ensure_s3(state: dict):
    moto_port = port_for(state, "moto_port", "s3")
    if running_pid("s3"):
        log("S3 server (moto): running")
    else:
        spawn("s3", [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(moto_port)])
        wait_until(lambda: answers(moto_port), "moto's S3 server", "s3")
        stop("s3-relay")  # it may point at the port of an earlier server
        log("S3 server (moto): started")
    port_for(state, "s3_port", "s3-relay")
    start_s3_relay(state)
    client = s3_client(state, "moto_port")
    if BUCKET not in {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        log(f"S3 server: bucket {BUCKET} created")


def start_s3_relay(state: dict):
    """Start the relay on the site's S3 port, which stays the same (the site knows it)."""
    port = state["s3_port"]
    if running_pid("s3-relay") and answers(port):
        return
    stop("s3-relay")
    spawn("s3-relay", [sys.executable, "-m", "bench.prod", "relay", str(port), str(state["moto_port"])])
    wait_until(lambda: answers(port), "The S3 relay", "s3-relay")


def ensure_clamd(state: dict):
    if running_pid("clamd"):
        log("ClamAV (clamd): running")
        return
    import pytest

    from tests.clamd_server import Clamd

    for old in WORK_DIR.glob("clamd-*"):
        shutil.rmtree(old, ignore_errors=True)
    # The suite's clamd, with its one test signature (no signature can be downloaded here): its
    # directory (configuration, signature, socket) is made under var/prod instead of the system's temp.
    tempfile.tempdir, kept = str(WORK_DIR), tempfile.tempdir
    try:
        clamd = Clamd()
    finally:
        tempfile.tempdir = kept
    try:
        clamd.start()
    except pytest.fail.Exception as failure:
        raise SystemExit(str(failure)) from None
    pid_file("clamd").write_text(str(clamd.process.pid))
    state["clamd_socket"] = clamd.socket
    log("ClamAV (clamd): started")


def ensure_smtp(state: dict):
    port_for(state, "smtp_port", "smtp")
    MAIL_DIR.mkdir(exist_ok=True)
    if running_pid("smtp") and answers(state["smtp_port"]):
        log("SMTP server: running")
        return
    start_smtp(state)
    log(f"SMTP server: started, every message kept in {MAIL_DIR.relative_to(BASE_DIR)}/")


def start_smtp(state: dict):
    port = state["smtp_port"]
    stop("smtp")
    spawn("smtp", [sys.executable, "-m", "bench.prod", "smtp", str(port), str(MAIL_DIR)])
    wait_until(lambda: answers(port), "The SMTP server", "smtp")


def healthy(state: dict) -> bool:
    try:
        return urllib.request.urlopen(f"{base_url(state)}/healthz", timeout=2).status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def gunicorn_workers() -> list[int]:
    pid = running_pid("gunicorn")
    if pid is None:
        return []
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def ensure_site(state: dict):
    env = site_environment(state)
    # A service that moved to another port changes the site's settings: the site starts again with them.
    digest = hashlib.sha256(json.dumps(site_settings(state), sort_keys=True).encode()).hexdigest()
    if state.get("site_digest") != digest:
        stop("gunicorn")
        stop("worker")
    if running_pid("gunicorn") and healthy(state):
        log("gunicorn: running")
    else:
        stop("gunicorn")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["--bind", f"{HOST}:{state['web_port']}", "--workers", str(WEB_WORKERS), "jobboard.wsgi"]
        spawn("gunicorn", command, env)
        wait_until(lambda: healthy(state) and len(gunicorn_workers()) == WEB_WORKERS, "gunicorn", "gunicorn")
        log(f"gunicorn: started, {WEB_WORKERS} workers")
    state["site_digest"] = digest
    if running_pid("worker"):
        log("Task worker (db_worker): running")
    else:
        worker = [sys.executable, "manage.py", "db_worker", "--no-reload"]
        spawn("worker", [sys.executable, "-m", "bench.prod", "supervise", "--", *worker], env)
        log("Task worker (db_worker): started")


def up() -> dict:
    """Start whatever is not running; the stack's state (ports, secret) and the site's environment."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    state = load_state()
    state.setdefault("secret_key", secrets.token_urlsafe(50))
    ensure_postgresql()
    ensure_redis()
    ensure_s3(state)
    ensure_clamd(state)
    ensure_smtp(state)
    port_for(state, "web_port", "gunicorn")
    save_state(state)
    ensure_site(state)
    save_state(state)
    log(f"The site: {base_url(state)}/")
    return state


def down():
    stopped = [name for name in SERVICES if name != "postgresql" and stop(name)]
    # SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is lost.
    if stop("postgresql", signal.SIGINT):
        stopped.append("postgresql")
    log(f"Stopped: {', '.join(stopped)}." if stopped else "Nothing of the stack was running.")


# Helper processes of the stack


def relay(port: int, target: int):
    """Pass every TCP connection on `port` through to `target`, both ways, until stopped."""

    async def pipe(reader, writer):
        try:
            while data := await reader.read(1 << 16):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def connect(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(HOST, target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    async def serve():
        server = await asyncio.start_server(connect, HOST, port)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def smtp(port: int, directory: Path):
    """An SMTP server that accepts every message and keeps it as a file, its envelope's recipients first."""
    from aiosmtpd.controller import Controller

    class KeepMessages:
        async def handle_DATA(self, server, session, envelope):
            recipients = ", ".join(envelope.rcpt_tos)
            name = directory / f"{time.time_ns()}-{uuid.uuid4().hex}"
            # Written whole, then renamed: a reader never counts a message half written.
            Path(f"{name}.tmp").write_bytes(f"X-Envelope-To: {recipients}\r\n".encode() + envelope.original_content)
            Path(f"{name}.tmp").rename(f"{name}.eml")
            return "250 Message accepted"

    controller = Controller(KeepMessages(), hostname=HOST, port=port)
    controller.start()
    stopping = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.set())
    while not stopping.wait(1):
        pass
    controller.stop()


def supervise(command: list[str]):
    """Run `command`, and again a second after it stops, until told to stop (as systemd's Restart=always).

    Each restart is counted in var/prod/worker.restarts, for the load test to report."""
    stopping = False
    child = None

    def stop_child(signum, frame):
        nonlocal stopping
        stopping = True
        if child is not None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop_child)
    signal.signal(signal.SIGINT, stop_child)
    restarts = WORK_DIR / "worker.restarts"
    while not stopping:
        child = subprocess.Popen(command, cwd=BASE_DIR)
        child.wait()
        if stopping:
            break
        count = int(restarts.read_text()) + 1 if restarts.exists() else 1
        restarts.write_text(str(count))
        print(f"The worker stopped (exit code {child.returncode}); starting it again.", flush=True)
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the stack (what is not running yet)")
    commands.add_parser("down", help="stop what `up` started")
    relay_parser = commands.add_parser("relay", help="(internal) the S3 endpoint's relay")
    relay_parser.add_argument("port", type=int)
    relay_parser.add_argument("target", type=int)
    smtp_parser = commands.add_parser("smtp", help="(internal) the SMTP server")
    smtp_parser.add_argument("port", type=int)
    smtp_parser.add_argument("directory", type=Path)
    supervise_parser = commands.add_parser("supervise", help="(internal) run a command, restarting it")
    supervise_parser.add_argument("child", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    if options.command == "up":
        up()
    elif options.command == "down":
        down()
    elif options.command == "relay":
        relay(options.port, options.target)
    elif options.command == "smtp":
        smtp(options.port, options.directory)
    else:
        child = options.child[1:] if options.child[:1] == ["--"] else options.child
        supervise(child)


if __name__ == "__main__":
    main()
