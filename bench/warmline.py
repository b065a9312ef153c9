"""The warm line under load, and a worker killed in the middle.

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/warmline.py
    DATABASE_URL=postgres://…/scratch REDIS_URL=… .venv/bin/python bench/warmline.py

Two daphne workers on loopback share one Redis channel layer and one database. BENCH_VISITORS
people (200) chat with BENCH_RESPONDERS responders (20), half on each worker; each person
sends a message every BENCH_INTERVAL seconds (2) and each responder answers every one, for
BENCH_SECONDS (60). Latency is from the moment a message is sent to the moment the other side
receives it (both ends are in this process, on one clock): p50, p95, p99.

Half way through, one worker is killed with SIGKILL. Everyone connected to it reconnects to
the other worker and resumes from the last message number it saw; unanswered messages are sent
again with the same id. At the end every acknowledged message must be in the database and
must have reached the other side: the count of those that did not is "lost".

Without Redis it prints why and stops (exit 0), so `make bench` runs on a bare machine.
"""

from __future__ import annotations

import asyncio
import datetime
import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from _setup import ROOT, production_env

VISITORS = int(os.environ.get("BENCH_VISITORS", "200"))
RESPONDERS = int(os.environ.get("BENCH_RESPONDERS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "2"))
KILL = os.environ.get("BENCH_KILL", "1") == "1"
DRAIN = float(os.environ.get("BENCH_DRAIN", "90"))
ARRIVAL = float(os.environ.get("BENCH_ARRIVAL", "0.025"))  # seconds between two people
ARRIVAL_WAIT = float(os.environ.get("BENCH_ARRIVAL_WAIT", "180"))  # for everyone answered
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


if not redis_answers(REDIS_URL):
    print(f"warmline: skipped, no Redis answers at {REDIS_URL} (set REDIS_URL)")
    sys.exit(0)

os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-warmline-')}/bench.sqlite3"
)
os.environ["REDIS_URL"] = REDIS_URL
# As a deployment runs (DEBUG=0, throw-away keys), on plain HTTP on loopback.
os.environ.update(
    production_env()
    | {
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ALONGSIDE_SSL_REDIRECT": "0",
        # Every person here comes from one address: lift the limit on chat starts.
        "WARMLINE_CHAT_STARTS_PER_HOUR": "1000000",
    }
)
os.environ["ALONGSIDE_REQUIRE_2FA"] = "0"
PREFIX = f"bench{os.getpid()}"
os.environ["WARMLINE_CHANNEL_PREFIX"] = PREFIX

from _setup import django_setup  # noqa: E402

django_setup()

import aiohttp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

from alongside.core.roles import Role  # noqa: E402
from alongside.core.services import organization_create, user_create  # noqa: E402
from alongside.core.tenancy import organization_scope  # noqa: E402
from alongside.directory.models import Organization as Provider  # noqa: E402
from alongside.directory.models import Schedule, Service  # noqa: E402
from alongside.warmline import services  # noqa: E402
from alongside.warmline.models import Contact, Line, Message  # noqa: E402

STAMP = str(os.getpid())


def set_up() -> list[str]:
    """A line open around the clock (the only active one) and signed-in responders' cookies."""
    call_command("migrate", verbosity=0)
    Line.objects.with_scopes_disabled().update(is_active=False)
    stamp = STAMP
    org = organization_create(name=f"Bench Warm Line {stamp}", slug=f"bench-{stamp}", state="NH")
    provider = Provider.objects.create(name="Bench provider (sample)")
    listing = Service.objects.create(organization=provider, name="Bench warm line (sample)")
    Schedule.objects.create(
        service=listing, byday="MO,TU,WE,TH,FR,SA,SU", opens_at="00:00", closes_at="23:59"
    )
    with organization_scope(org):
        services.line_create(
            organization=org,
            actor=None,
            name="Bench line",
            slug=f"bench-{stamp}",
            listing_id=listing.pk,
        )
    cookies = []
    for n in range(RESPONDERS):
        user = user_create(
            username=f"bench{stamp}r{n}",
            email="",
            password=secrets.token_urlsafe(16),  # never signs in: the session is made here
            organization=org,
            roles=[Role.WARMLINE_RESPONDER],
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return cookies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_worker(port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "alongside.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "ab"),  # noqa: SIM115
    )
    for _attempt in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"worker on port {port} did not start")


@dataclass
class Tally:
    sent_at: dict[str, float] = field(default_factory=dict)
    acked: set[str] = field(default_factory=set)
    delivered: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    reconnects: int = 0
    arrival_seconds: float = 0.0
    running: bool = True
    sending: bool = True
    answered: set[int] = field(default_factory=set)
    stage: dict[int, str] = field(default_factory=lambda: defaultdict(lambda: "not connected"))
    everyone_answered: asyncio.Event = field(default_factory=asyncio.Event)

    def received(self, message_id: str) -> None:
        if message_id and message_id not in self.delivered and message_id in self.sent_at:
            self.delivered.add(message_id)
            self.latencies.append((time.perf_counter() - self.sent_at[message_id]) * 1000)


class Worker:
    """Which ports are alive: a client that lost its worker moves to another."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.dead: set[int] = set()

    def url(self, n: int, path: str) -> str:
        alive = [p for p in self.ports if p not in self.dead]
        preferred = self.ports[n % len(self.ports)]
        port = preferred if preferred not in self.dead else alive[n % len(alive)]
        return f"ws://127.0.0.1:{port}{path}"


ORIGIN = {"Origin": "http://127.0.0.1"}
OVERDUE = datetime.timedelta(seconds=2)


async def visitor(n: int, session: aiohttp.ClientSession, workers: Worker, tally: Tally) -> None:
    contact = token = None
    start_id = f"{STAMP}-start-{n}"
    last_seq = 0
    pending: dict[str, str] = {}
    counter = itertools.count()
    taken = asyncio.Event()
    while tally.running:
        try:
            async with session.ws_connect(
                workers.url(n, "/ws/warmline/chat/"), headers=ORIGIN
            ) as ws:
                tally.stage[n] = "connected"
                if contact is None:
                    await ws.send_json({"type": "start", "id": start_id, "name": f"V{n}"})
                else:
                    await ws.send_json(
                        {"type": "resume", "contact": contact, "token": token, "last_seq": last_seq}
                    )
                    for message_id, body in pending.items():
                        await ws.send_json({"type": "message", "id": message_id, "body": body})

                async def talk() -> None:
                    await taken.wait()
                    await tally.everyone_answered.wait()
                    while tally.sending:
                        message_id = f"v{n}-{next(counter)}"
                        body = f"visitor {n} says hello ({message_id})"
                        pending[message_id] = body
                        tally.sent_at[message_id] = time.perf_counter()
                        await ws.send_json({"type": "message", "id": message_id, "body": body})
                        await asyncio.sleep(INTERVAL)

                sender = asyncio.create_task(talk())
                try:
                    async for frame in ws:
                        event = frame.json()
                        kind = event["type"]
                        if kind != "message":
                            tally.stage[n] = kind
                        if kind == "started":
                            contact, token = event["contact"], event["token"]
                        elif kind == "taken":
                            taken.set()
                            tally.answered.add(n)
                            if len(tally.answered) == VISITORS:
                                tally.everyone_answered.set()
                        elif kind == "ack":
                            pending.pop(event["id"], None)
                            tally.acked.add(event["id"])
                        elif kind == "message":
                            if event["seq"] > last_seq + 1:
                                await ws.send_json(
                                    {
                                        "type": "resume",
                                        "contact": contact,
                                        "token": token,
                                        "last_seq": last_seq,
                                    }
                                )
                                continue
                            if event["seq"] == last_seq + 1:
                                last_seq = event["seq"]
                                if event["sender"] == "responder":
                                    tally.received(event["id"])
                finally:
                    sender.cancel()
        except (TimeoutError, aiohttp.ClientError, OSError):
            pass
        if tally.running:
            tally.reconnects += 1
            await asyncio.sleep(0.2)


async def responder(
    n: int, cookie: str, session: aiohttp.ClientSession, workers: Worker, tally: Tally
) -> None:
    held: dict[str, int] = {}  # contact -> last seq seen
    tried: set[str] = set()
    headers = ORIGIN | {"Cookie": f"sessionid={cookie}"}
    capacity = -(-VISITORS // RESPONDERS) + 2
    while tally.running:
        try:
            async with session.ws_connect(
                workers.url(n, "/ws/warmline/console/"), headers=headers
            ) as ws:
                await ws.send_json({"type": "queue"})
                for contact_id, seq in held.items():
                    await ws.send_json({"type": "join", "contact": contact_id, "last_seq": seq})

                async def look() -> None:
                    # A person looks at the queue again now and then, not only when it changes.
                    while len(held) < capacity and not tally.everyone_answered.is_set():
                        await asyncio.sleep(1)
                        await ws.send_json({"type": "queue"})

                looking = asyncio.create_task(look())
                try:
                    async for frame in ws:
                        event = frame.json()
                        kind = event["type"]
                        if kind == "queue_add":
                            kind, event = "queue", {"contacts": [event["entry"]]}
                        if kind == "queue":
                            # The contacts the server says this responder holds, e.g. one whose
                            # "took" was lost with a killed worker: join them too.
                            for contact_id in event.get("mine", []):
                                if contact_id not in held:
                                    held[contact_id] = 0
                                    await ws.send_json(
                                        {"type": "join", "contact": contact_id, "last_seq": 0}
                                    )
                        if kind == "queue" and len(held) < capacity:
                            # Each contact is first offered to one responder (as a team shares
                            # out a queue); after two seconds of waiting anyone takes it.
                            now = datetime.datetime.now(datetime.UTC)
                            untried = [c for c in event["contacts"] if c["contact"] not in tried]
                            mine = [
                                c["contact"]
                                for c in untried
                                if int(c["contact"][-8:], 16) % RESPONDERS == n
                            ]
                            overdue = [
                                c["contact"]
                                for c in untried
                                if now - datetime.datetime.fromisoformat(c["since"]) > OVERDUE
                            ]
                            # Overdue ones are spread too: twenty people reaching for the
                            # same one at once would answer one person a second.
                            spread = overdue[n % len(overdue) :] if overdue else []
                            waiting = mine or spread or overdue
                            if waiting:
                                choice = waiting[0]
                                tried.add(choice)
                                await ws.send_json({"type": "take", "contact": choice})
                        elif kind == "took":
                            held.setdefault(event["contact"], 0)
                        elif kind == "ack":
                            tally.acked.add(event["id"])
                        elif kind == "message" and event["contact"] in held:
                            contact_id, seq = event["contact"], event["seq"]
                            if seq > held[contact_id] + 1:
                                await ws.send_json(
                                    {
                                        "type": "join",
                                        "contact": contact_id,
                                        "last_seq": held[contact_id],
                                    }
                                )
                                continue
                            if seq != held[contact_id] + 1:
                                continue
                            held[contact_id] = seq
                            if event["sender"] == "visitor":
                                tally.received(event["id"])
                                if not tally.sending:
                                    continue
                                reply = "r-" + event["id"]
                                if reply not in tally.sent_at:
                                    tally.sent_at[reply] = time.perf_counter()
                                await ws.send_json(
                                    {
                                        "type": "message",
                                        "contact": contact_id,
                                        "id": reply,
                                        "body": "I hear you.",
                                    }
                                )
                finally:
                    looking.cancel()
        except (TimeoutError, aiohttp.ClientError, OSError):
            pass
        if tally.running:
            tally.reconnects += 1
            await asyncio.sleep(0.2)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def run(
    cookies: list[str], workers: Worker, processes: list[subprocess.Popen[bytes]]
) -> Tally:
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [
            asyncio.create_task(responder(n, cookie, session, workers, tally))
            for n, cookie in enumerate(cookies)
        ]
        await asyncio.sleep(1)
        arrived = time.perf_counter()
        for n in range(VISITORS):
            tasks.append(asyncio.create_task(visitor(n, session, workers, tally)))
            await asyncio.sleep(ARRIVAL)
        # Everyone arrives and is answered first; then the timed minute of messages.
        try:
            await asyncio.wait_for(tally.everyone_answered.wait(), ARRIVAL_WAIT)
        except TimeoutError:
            tally.everyone_answered.set()
            waiting = Counter(tally.stage[n] for n in range(VISITORS) if n not in tally.answered)
            print(f"not answered after {ARRIVAL_WAIT:.0f} s: {dict(waiting)}")
        tally.arrival_seconds = time.perf_counter() - arrived
        await asyncio.sleep(SECONDS / 2)
        if KILL:
            workers.dead.add(workers.ports[1])
            processes[1].send_signal(signal.SIGKILL)
            print(f"killed worker on port {workers.ports[1]} with SIGKILL at {SECONDS / 2:.0f} s")
        await asyncio.sleep(SECONDS / 2)
        # Stop sending; let the backlog drain: wait until nothing more has arrived for 5 s
        # (at most BENCH_DRAIN s, 90), so that "lost" means lost, not late.
        tally.sending = False
        quiet_since, seen = time.perf_counter(), len(tally.delivered)
        deadline = time.perf_counter() + DRAIN
        while time.perf_counter() - quiet_since < 5 and time.perf_counter() < deadline:
            await asyncio.sleep(0.5)
            if len(tally.delivered) != seen:
                quiet_since, seen = time.perf_counter(), len(tally.delivered)
        tally.running = False
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return tally


def main() -> None:
    cookies = set_up()
    ports = [free_port(), free_port()]
    processes = [start_worker(port) for port in ports]
    try:
        tally = asyncio.run(run(cookies, Worker(ports), processes))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # daphne waits for open sockets
                    process.kill()
                    process.wait()
    stored = set(
        Message.objects.with_scopes_disabled()
        .exclude(client_id="")
        .values_list("client_id", flat=True)
    )
    lost_in_database = tally.acked - stored
    lost_in_delivery = tally.acked - tally.delivered
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    contacts = Contact.objects.with_scopes_disabled().filter(line__slug=f"bench-{STAMP}")
    print(
        f"warmline: {VISITORS} visitors, {RESPONDERS} responders, 2 daphne workers, Redis, "
        f"{engine}, {SECONDS:.0f} s, a message every {INTERVAL:g} s"
        f"{', one worker killed half way' if KILL else ''}"
    )
    print(
        f"  contacts answered: {contacts.exclude(taken_at=None).count()} of {VISITORS}, "
        f"everyone answered {tally.arrival_seconds:.1f} s after the first arrived"
    )
    print(
        f"  messages acknowledged: {len(tally.acked)}, delivered: {len(tally.delivered)}, "
        f"reconnects: {tally.reconnects}"
    )
    print(
        f"  delivery latency ms: p50 {percentile(tally.latencies, 0.50):.1f}, "
        f"p95 {percentile(tally.latencies, 0.95):.1f}, p99 {percentile(tally.latencies, 0.99):.1f}"
    )
    print(
        f"  acknowledged but lost: {len(lost_in_database)} not stored, "
        f"{len(lost_in_delivery)} never reached the other side"
    )


if __name__ == "__main__":
    main()
