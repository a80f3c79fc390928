"""``forum-tui web`` in headless Chromium: sign in, read a thread, post a reply, end the session.

Uses Debian's ``chromium`` (``.ci/run`` installs it when missing) through playwright's Python
API; playwright's own browser download is not reachable from here. Skips, saying why, where no
Chromium is installed. The browser may reach only the forum's own port on 127.0.0.1: every
other request is aborted. What the terminal shows is read back with pyte from the bytes the
page received, and a screenshot is kept in FORUM_TUI_ARTEFACT_DIR (default: test-artefacts/).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pyte
import pytest

from forum_tui.services import build_services
from forum_tui.store.database import Database
from tests.ui.conftest import PASSWORD, Forum

CHROMIUM = os.environ.get("FORUM_TUI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(os.environ.get("FORUM_TUI_ARTEFACT_DIR", "test-artefacts"))
T = TypeVar("T")
REPLY = "Thank you, from the library computer"

# Keeps every byte the page's terminal receives, and the size it asked for.
RECORD_TERMINAL = """
(() => {
  const Original = window.WebSocket;
  window.__tty = {bytes: [], size: null};
  window.WebSocket = class extends Original {
    constructor(url, protocols) {
      super(url, protocols);
      const query = new URL(url, location.href).searchParams;
      window.__tty.size = [Number(query.get("width")), Number(query.get("height"))];
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) {
          for (const byte of new Uint8Array(event.data)) window.__tty.bytes.push(byte);
        }
      });
    }
  };
})();
"""
READ_TERMINAL = "(start) => ({size: window.__tty.size, data: window.__tty.bytes.slice(start)})"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def web_server(forum: Forum) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "FORUM_TUI_DATABASE_URL": forum.url, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "forum_tui", "web", "--kiosk", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("forum-tui web did not start") from None
                time.sleep(0.05)  # polling for the port to open, bounded by the deadline
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


class BrowserTerminal:
    def __init__(self, page: object) -> None:
        self.page = page
        self.read = 0
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None

    def text(self) -> str:
        seen = self.page.evaluate(READ_TERMINAL, self.read)  # type: ignore[attr-defined]
        if not seen["size"]:
            return ""
        if self.screen is None:
            self.screen = pyte.Screen(*seen["size"])
            self.stream = pyte.ByteStream(self.screen)
        assert self.stream is not None
        self.stream.feed(bytes(seen["data"]))
        self.read += len(seen["data"])
        return "\n".join(self.screen.display)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.text()
            if text in shown:
                return shown
            self.page.wait_for_timeout(100)  # type: ignore[attr-defined]
        raise AssertionError(f"{text!r} never appeared in the browser:\n{self.text()}")


def test_sign_in_read_reply_and_end_session_in_chromium(
    forum: Forum, web_server: str, browser: object
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 640})  # type: ignore[attr-defined]
    outside: list[str] = []

    def only_the_forum(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(web_server):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_the_forum)
    page.add_init_script(RECORD_TERMINAL)
    page.goto(web_server)
    terminal = BrowserTerminal(page)
    terminal.wait_for("This computer is shared")
    page.click(".textual-terminal")  # the terminal takes the keys
    page.keyboard.type("carer_ann")
    terminal.wait_for("carer_ann")
    page.keyboard.press("Tab")  # to the password box
    page.keyboard.type(PASSWORD)
    terminal.wait_for("•" * len(PASSWORD))
    page.keyboard.press("Enter")
    terminal.wait_for("signed in as carer_ann")
    terminal.wait_for("3 threads")  # the list is there (as a carer would wait to see it)
    page.keyboard.press("Enter")  # Carers' Corner
    terminal.wait_for("Sleep")
    page.keyboard.press("Enter")  # the newest thread: Sleep
    terminal.wait_for("Three nights of no sleep again")
    page.keyboard.press("r")
    page.keyboard.type(REPLY)
    terminal.wait_for(REPLY)
    page.keyboard.press("Control+s")
    terminal.wait_for("Reply posted")
    page.keyboard.press("Control+e")
    shown = terminal.wait_for("Your session has ended")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "web-session-ended.png"))

    assert "This computer is shared" in shown
    assert "carer_ann" not in shown and REPLY not in shown
    assert outside == []  # the page fetched nothing from anywhere else
    assert in_a_thread(_last_reply_in_sleep(forum)) == REPLY  # stored, as carer_ann's


def in_a_thread(work: Coroutine[object, object, T]) -> T:
    """Playwright's sync API holds this thread's event loop: database checks run beside it."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _last_reply_in_sleep(forum: Forum) -> str:
    db = Database(forum.url)
    try:
        services = build_services(db, forum.clock)
        threads = await services.threads.list_threads(forum.ann, forum.corner)
        sleep = next(thread for thread in threads.items if thread.title == "Sleep")
        view = await services.threads.open_thread(forum.ann, sleep.id)
    finally:
        await db.dispose()
    last = view.posts.items[-1]
    assert last.author_id == forum.ann
    return last.body
