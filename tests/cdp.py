"""A small client for headless Chromium over the DevTools protocol, for the browser tests.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands from file
descriptor 3 and writes replies and events to descriptor 4, each message one JSON object ended
by a NUL byte (Chrome DevTools Protocol, https://chromedevtools.github.io/devtools-protocol/).
No port, no WebSocket, no driver binary and no Python package beyond the standard library.

Only what the tests need: open a page at a given viewport (desktop or mobile emulation), wait
for its load event, evaluate JavaScript, take a screenshot, and collect what the page sent to
its console (``console.error``, browser log entries at level error) and uncaught exceptions.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("NPS_KIT_CHROMIUM", "/usr/bin/chromium")
"""The browser: Debian's package ``chromium`` (override with ``NPS_KIT_CHROMIUM``)."""

MISSING = (
    "Chromium was not found at {path}: the browser tests need it. Install the Debian package "
    "chromium (as root: apt-get install -y chromium), or set NPS_KIT_CHROMIUM to a Chromium binary."
)

# Flags: headless, root without a sandbox, and nothing that reaches out to the network on its own
# (this machine's network is closed; background requests only add noise and delay).
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe",
)

WAIT_SECONDS = 120.0
"""Longest wait for one reply or event before giving up (a hung browser, not a speed check)."""


class BrowserError(RuntimeError):
    """Chromium could not be started, replied with an error, or stopped answering."""


@dataclass
class PageLog:
    """What a page sent to its console, and its uncaught exceptions, as readable lines."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium process driven over the DevTools pipe."""

    def __init__(self, executable: str = CHROMIUM) -> None:
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            raise FileNotFoundError(MISSING.format(path=executable))
        self._home = Path(tempfile.mkdtemp(prefix="nps-kit-chromium-"))
        self._stderr = open(self._home / "stderr.log", "wb")  # a file: a full pipe would block Chromium
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        # os.pipe() and os.dup() give non-inheritable descriptors (PEP 446): the child keeps
        # only the two made inheritable by dup2 as 3 and 4, so Chromium sees EOF if we go away.
        def _child_fds() -> None:  # in the child: the pipe ends become descriptors 3 and 4
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._home / 'profile'}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            preexec_fn=_child_fds, close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        self.version = self.send("Browser.getVersion")["product"]

    # ------------------------------------------------------------------ protocol
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"Chromium did not answer within {WAIT_SECONDS:.0f} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                err = (self._home / "stderr.log").read_text(errors="replace")
                raise BrowserError(f"Chromium closed the DevTools pipe (exit {self._proc.poll()}): {err[-800:]}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == msg["id"]:
                if "error" in reply:
                    raise BrowserError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        """Wait for an event of ``method`` on ``session`` (kept events are searched first)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline))

    def take_events(self, session: str) -> list[dict]:
        """Remove and return the kept events of one session."""
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return mine

    # ------------------------------------------------------------------ pages
    def open(self, url: str, width: int, height: int, mobile: bool = False) -> Page:
        """Open ``url`` in a new tab with a ``width`` x ``height`` CSS-pixel viewport.

        ``mobile=True`` emulates a phone: the page's ``<meta name="viewport">`` is honoured
        (without one a mobile browser lays the page out 980 px wide and shrinks it).
        The device pixel ratio is 1, so a screenshot is ``width`` pixels wide.
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(method, session=session)
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
        }, session=session)
        if mobile:
            self.send("Emulation.setTouchEmulationEnabled", {"enabled": True}, session=session)
        self.take_events(session)  # about:blank's own events
        nav = self.send("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            raise BrowserError(f"could not open {url}: {nav['errorText']}")
        self.wait_for("Page.loadEventFired", session)
        return Page(self, target, session)

    def close(self) -> None:
        """Stop the browser and remove its temporary profile."""
        try:
            self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._stderr.close()
        shutil.rmtree(self._home, ignore_errors=True)


def _describe_console(event: dict) -> str | None:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        args = [a.get("value", a.get("description", "")) for a in params.get("args", [])]
        return f"console.{params['type']}: " + " ".join(map(str, args))
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        entry = params["entry"]
        where = f" ({entry['url']})" if entry.get("url") else ""
        return f"{entry.get('source', 'log')}: {entry.get('text', '')}{where}"
    return None


def _describe_exception(event: dict) -> str | None:
    if event.get("method") != "Runtime.exceptionThrown":
        return None
    details = event["params"]["exceptionDetails"]
    exc = details.get("exception", {})
    return f"{exc.get('description') or details.get('text')} (line {details.get('lineNumber')})"


class Page:
    """An open tab: evaluate JavaScript, take screenshots, read its console log."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self._browser, self._target, self._session = browser, target, session
        self.log = PageLog()

    def _collect(self) -> None:
        for event in self._browser.take_events(self._session):
            line = _describe_console(event)
            if line:
                self.log.console_errors.append(line)
            line = _describe_exception(event)
            if line:
                self.log.page_errors.append(line)
            if event.get("method") == "Page.javascriptDialogOpening":
                params = event.get("params", {})
                self.log.dialogs.append(f"{params.get('type')}: {params.get('message')}")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises are awaited)."""
        reply = self._browser.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True,
        }, session=self._session)
        self._collect()
        if "exceptionDetails" in reply:
            raise BrowserError(f"JavaScript failed: {reply['exceptionDetails'].get('exception', reply['exceptionDetails'])}")
        return reply["result"].get("value")

    def screenshot(self, path: str | Path) -> Path:
        """Save the visible part of the page (the viewport) as a PNG file."""
        data = self._browser.send("Page.captureScreenshot", {"format": "png"}, session=self._session)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        self._collect()
        return path

    def close(self) -> None:
        """Close the tab (its log stays readable)."""
        self._collect()
        self._browser.send("Target.closeTarget", {"targetId": self._target})
