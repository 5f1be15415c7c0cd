"""How tall the demo's participant pages are on a phone (390 px) and a desktop (1280 px).

Serves the demo from a fresh SQLite file in a temporary folder (migrate, load_demo, runserver on
a free port), votes once so "you and the groups" shows, and prints each page's document height
in CSS pixels, and whether the voting card's statement and buttons are within the first screen.
Prints figures; asserts nothing.

Run: .venv/bin/python bench/page_heights.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"phone 390": (390, 844), "desktop 1280": (1280, 800)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(folder: str) -> tuple[subprocess.Popen, str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "POLITY_REQUIRE_SERVICES"}
    }
    env.update(SQLITE_PATH=str(Path(folder) / "demo.sqlite3"), DEBUG="true")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "load_demo"], env=env, check=True, capture_output=True)
    public_id = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from deliberation.models import Conversation; "
            "print(Conversation.objects.order_by('id').first().public_id)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]  # fmt: skip; the shell prints a line of its own first
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (our loopback)
            break
        except OSError:  # not listening yet (or an error status: the page load will say)
            time.sleep(0.2)
    return server, base, public_id


def _first_screen(page) -> str:
    return page.evaluate(
        """() => {
          const parts = [...document.querySelectorAll(
            '#voting .statement-text, #voting .vote-buttons button')];
          if (!parts.length) return 'no card';
          const bottom = Math.max(...parts.map(e => e.getBoundingClientRect().bottom));
          return bottom <= window.innerHeight ? `yes (bottom ${Math.round(bottom)} px)`
                                              : `no (bottom ${Math.round(bottom)} px)`;
        }"""
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server, base, public_id = _serve(folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"{'page':<28} {'viewport':<13} {'height px':>10}  first screen")
                for name, (width, height) in VIEWPORTS.items():
                    context = browser.new_context(
                        base_url=base, viewport={"width": width, "height": height}
                    )
                    page = context.new_page()
                    page.goto(f"/c/{public_id}/")
                    cards = [_first_screen(page)]
                    page.get_by_role("button", name="Agree", exact=True).click()
                    page.wait_for_timeout(500)
                    cards.append(_first_screen(page))
                    rows = [
                        ("vote (1st, 2nd card)", f"/c/{public_id}/", ", ".join(cards)),
                        ("my votes", f"/c/{public_id}/my-votes/", ""),
                        ("results", f"/c/{public_id}/results/", ""),
                    ]
                    for label, path, note in rows:
                        page.goto(path)
                        tall = page.evaluate("document.documentElement.scrollHeight")
                        print(f"{label:<28} {name:<13} {tall:>10}  {note}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
