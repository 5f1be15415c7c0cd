"""CPU seconds per vote request, in-process: less at the mercy of a shared machine than load.py.

Sends the requests bench/load_participants.py sends (each participant GETs the conversation page,
then POSTs htmx votes with the CSRF token, Origin, HX-Request and the participant cookie)
straight to Django's WSGI application under production settings (DEBUG=false, so the cached
template loader and the manifest static storage), against the PostgreSQL and Redis named by the
environment. Every participant has its own address, so the per-IP join limit holds as shipped.
Counts time.process_time() over the timed votes: this process's CPU, which is what a gunicorn
worker spends in Django (not gunicorn's own HTTP parsing, nor PostgreSQL's or Redis' CPU). It
still rises when the machine is busy (shared cores and caches), so compare alternated runs.

Run (a database of your own; it is migrated, and each run seeds a new conversation):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/polity_bench \
    REDIS_URL=redis://127.0.0.1:6379/7 CACHE_URL=redis://127.0.0.1:6379/8 \
    .venv/bin/python bench/vote_cpu.py --votes 2000
Then times --changes requests changing earlier votes on "My votes" (the load bench's other
action). --profile FILE also writes a cProfile of the timed votes and prints its top functions.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HOST = "127.0.0.1:8000"
ORIGIN = f"http://{HOST}"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENT = re.compile(r'name="statement" value="(\d+)"')


def production_settings() -> None:
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL, as the module docstring shows")
    # As bench/servers.py's django_env: production settings over plain HTTP on loopback.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Static file names come from the manifest under DEBUG=false; its absence is an error.
    os.environ.setdefault("STATIC_ROOT", str(Path(__file__).resolve().parent / "results/static"))


class Participant:
    """One browser: its address, cookies, CSRF token and the statement it is shown."""

    def __init__(self, application, public_id: str, number: int):
        self.application = application
        self.base = f"/c/{public_id}/"
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.statement: int | None = None
        self.voted: list[int] = []

    def _request(self, method: str, path: str, body: bytes = b"", **headers: str) -> str:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.address,
            "HTTP_HOST": HOST,
            "HTTP_ACCEPT": "*/*",
            "HTTP_USER_AGENT": "python-httpx/0.28.1",
            "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **headers,
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
        answer: dict = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), response_headers

        chunks = self.application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            chunks.close()  # request_finished: the database connection goes back to the pool
        if answer["status"] != 200:
            raise RuntimeError(f"{method} {path} answered {answer['status']}: {content[:300]!r}")
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                for cookie, morsel in SimpleCookie(value).items():
                    self.cookies[cookie] = morsel.value
        return content.decode()

    def _post(self, path: str, data: dict) -> str:
        body = urlencode({"csrfmiddlewaretoken": self.token, **data}).encode()
        return self._request(
            "POST",
            path,
            body,
            HTTP_ORIGIN=ORIGIN,
            HTTP_X_CSRFTOKEN=self.token,
            HTTP_HX_REQUEST="true",
        )

    def _shown(self, html: str) -> None:
        found = STATEMENT.search(html)
        self.statement = int(found.group(1)) if found else None

    def join(self) -> None:
        html = self._request("GET", self.base)
        self.token = TOKEN.search(html).group(1)
        self._shown(html)

    def vote(self, value: int) -> None:
        html = self._post(f"{self.base}vote/", {"statement": self.statement, "value": value})
        self.voted.append(self.statement)
        self._shown(html)

    def change(self, number: int) -> None:
        """Change one of the earlier votes on "My votes", as the load bench's participants do."""
        statement = self.voted[number % len(self.voted)]
        self._post(f"{self.base}my-votes/{statement}/", {"value": (1, -1, 0)[number % 3]})


def vote_rounds(crowd: list[Participant], votes: int) -> int:
    """`votes` votes, one participant after another (as interleaved as the load bench's)."""
    done = 0
    while done < votes:
        voting = [participant for participant in crowd if participant.statement is not None]
        if not voting:
            raise RuntimeError("every participant voted on everything: use more --statements")
        for participant in voting[: votes - done]:
            participant.vote((1, -1, 0)[done % 3])
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=2000, help="timed vote requests")
    parser.add_argument("--changes", type=int, default=500, help="timed vote changes, after")
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed votes here")
    args = parser.parse_args()
    production_settings()

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from bench.load_participants import seed_conversation
    from deliberation.services.analysis import analyse_conversation

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    seeded = seed_conversation(statements=args.statements, slug=f"cpu-{uuid.uuid4().hex[:12]}")
    application = get_wsgi_application()
    crowd = [Participant(application, seeded["public_id"], n) for n in range(args.participants)]
    for participant in crowd:
        participant.join()
    # Untimed: every participant joins with a first vote (and the process warms up); then an
    # analysis, so the timed votes route by priorities as they do once the worker has run.
    vote_rounds(crowd, 2 * len(crowd))
    analyse_conversation(conversation_id=seeded["id"])

    # Timed by CPU, not wall clock: waits on PostgreSQL and Redis are not this process's cost.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    done = vote_rounds(crowd, args.votes)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
    print(
        f"{done} htmx vote requests ({args.participants} participants, {args.statements}"
        f" statements): {1000 * cpu / done:.2f} ms CPU and {1000 * wall / done:.2f} ms wall per"
        f" request{' (under cProfile)' if profiler else ''}"
    )
    started_cpu = time.process_time()
    for number in range(args.changes):
        crowd[number % len(crowd)].change(number // len(crowd))
    if args.changes:
        cpu = time.process_time() - started_cpu
        print(
            f"{args.changes} htmx vote changes: {1000 * cpu / args.changes:.2f} ms CPU per request"
        )
    if profiler:
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(str(args.profile)).sort_stats("cumulative")
        stats.print_stats(40)


if __name__ == "__main__":
    main()
