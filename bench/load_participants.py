"""The simulated participants of the load benchmark: what each one does over HTTP, and what
the server acknowledged, for the SQL checks afterwards (bench/load.py drives them)."""

from __future__ import annotations

import asyncio
import random
import re
import sys
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


PARTICIPANT_COOKIE = "polity_participants"  # deliberation/identity/cookie.py
PARTICIPANT_COOKIE_SALT = "polity.frontend.participant-cookie"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENT = re.compile(r'name="statement" value="(\d+)"')
VOCABULARY = (
    "assistant library patrons privacy children loans catalogue events refuse explain cite sources "
    "uncertain politely local history archives reading lists accessible languages staff hours "
    "fines renew holds digital printing research homework teens seniors quiet study rooms maps "
    "newspapers music films games workshops volunteers donations community health legal advice"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random, words: int = 12) -> str:
    """Random wording, different enough from any other for the near-duplicate check (0.9)."""
    return "The assistant should " + " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def seed_conversation(*, statements: int, seed: int = 1, slug: str = "load") -> dict:
    """Run inside Django (django_call): an open, permissive conversation with seed statements."""
    from django.contrib.auth import get_user_model

    from deliberation.errors import DuplicateStatement
    from deliberation.services.facilitation import create_context, create_conversation
    from deliberation.services.seeding import seed_statement

    facilitator, _created = get_user_model().objects.get_or_create(username="load-facilitator")
    context = create_context(
        creator=facilitator, fields={"slug": slug, "title": "Load test", "is_public": True}
    )
    conversation = create_conversation(
        context=context,
        actor=facilitator,
        fields={"topic": "Load test", "state": "open", "moderation": "permissive"},
    )
    rng = random.Random(seed)
    made = 0
    while made < statements:
        try:
            seed_statement(conversation=conversation, actor=facilitator, text=sentence(rng))
            made += 1
        except DuplicateStatement:
            continue
    return {"id": conversation.pk, "public_id": conversation.public_id}


class Recorder:
    """What the server acknowledged, and how long every request took."""

    def __init__(self):
        self.latencies: dict[str, list[float]] = {"vote": [], "change": [], "page": [], "write": []}
        self.statuses: Counter = Counter()
        self.failures: Counter = Counter()  # transport errors and timeouts, by exception name
        # (participant cookie, statement id or written text, value), in acknowledgement order.
        self.acks: list[tuple[str, int | str, int]] = []
        self.web_cpu_seconds = 0.0

    async def request(self, kind: str, send) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await send()
        except httpx.HTTPError as error:
            self.failures[type(error).__name__] += 1
            return None
        except asyncio.CancelledError:
            # Stopped at the end of the run while in flight: the server may still commit it.
            self.failures["CancelledAtEnd"] += 1
            raise
        self.latencies[kind].append(time.perf_counter() - started)
        self.statuses[response.status_code] += 1
        return response


class SimulatedParticipant:
    def __init__(self, client: httpx.AsyncClient, public_id: str, recorder: Recorder, seed: int):
        self.client, self.public_id, self.recorder = client, public_id, recorder
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.statement: int | None = None
        self.voted: list[int] = []
        self.base = f"/c/{public_id}/"

    def headers(self, *, htmx: bool) -> dict[str, str]:
        headers = {
            "Origin": str(self.client.base_url).rstrip("/"),
            "X-CSRFToken": self.token,
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if htmx:
            headers["HX-Request"] = "true"
        return headers

    def _keep_cookies(self, response: httpx.Response) -> None:
        # Set by hand: the server marks cookies Secure (DEBUG=false), which a client's cookie
        # jar would not send back over plain-HTTP loopback, though a browser behind TLS does.
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        self.client.cookies.clear()

    def _next_statement(self, html: str) -> None:
        found = STATEMENT.search(html)
        self.statement = int(found.group(1)) if found else None

    async def join(self) -> bool:
        response = await self.recorder.request("page", lambda: self.client.get(self.base))
        if response is None or response.status_code != 200:
            return False
        self._keep_cookies(response)
        self.token = TOKEN.search(response.text).group(1)
        self._next_statement(response.text)
        return True

    async def act(self, *, write: bool) -> None:
        if write:
            await self.write()
        elif self.statement is not None and (not self.voted or self.rng.random() < 0.85):
            await self.vote()
        elif self.voted:
            await self.change()

    async def _post(self, kind: str, url: str, data: dict, *, htmx: bool) -> httpx.Response | None:
        data = {"csrfmiddlewaretoken": self.token, **data}
        response = await self.recorder.request(
            kind, lambda: self.client.post(url, data=data, headers=self.headers(htmx=htmx))
        )
        if response is not None:
            self._keep_cookies(response)
        return response

    def _ack(self, subject: int | str, value: int) -> None:
        self.recorder.acks.append((self.cookies.get(PARTICIPANT_COOKIE, ""), subject, value))

    async def vote(self) -> None:
        statement, value = self.statement, self.rng.choice((1, -1, 0))
        response = await self._post(
            "vote", f"{self.base}vote/", {"statement": statement, "value": value}, htmx=True
        )
        if response is not None and response.status_code == 200:
            self._ack(statement, value)
            self.voted.append(statement)
            self._next_statement(response.text)

    async def change(self) -> None:
        statement, value = self.rng.choice(self.voted), self.rng.choice((1, -1, 0))
        url = f"{self.base}my-votes/{statement}/"
        response = await self._post("change", url, {"value": value}, htmx=True)
        if response is not None and response.status_code == 200:
            self._ack(statement, value)

    async def write(self) -> None:
        text = sentence(self.rng, words=16)
        response = await self._post("write", f"{self.base}write/", {"text": text}, htmx=False)
        if response is not None and response.status_code == 303:
            self._ack(text, 1)  # as in Polis, the author agrees with their own statement
