"""Sessions forked from a warm process: the app is imported once, not once per session.

A fresh ``python -m forum_tui.ssh.session`` spends ~0.4 s importing Textual, SQLAlchemy and the
app before it draws anything, and holds ~55 MB of its own. With ``serve --warm``, the server
starts one helper, ``python -m forum_tui.ssh.warm``, which imports all of that, freezes it
(``gc.freeze()``: the collector never touches those objects, so a fork keeps sharing their
pages) and waits. For each session the server sends it, over a Unix socket, the session's
PTY, the identity pipe, the environment and the directory; the helper forks, and the child
becomes the session exactly as a fresh process would: a session of its own (``setsid``) whose
controlling terminal is its PTY, the environment replaced, Textual's settings read again from
it, then ``session.main``. The helper reports each child's pid and, when it ends, its exit code.

Fork-safety: the helper runs no event loop and no threads, and opens no database: it only
imports modules and waits in ``select``. Everything with state is made in the child.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import itertools
import json
import os
import pkgutil
import select
import signal
import socket
import sys
import traceback
from typing import Any

MESSAGE_MAX = 65536


# --- the helper (its own process) -----------------------------------------------------------


def preload() -> None:
    """Imports what a session imports, then freezes it for the forks to share."""
    from textual.drivers import linux_driver  # noqa: F401

    import forum_tui.ssh.session  # noqa: F401
    import forum_tui.ui.app  # noqa: F401
    import forum_tui.ui.screens
    import forum_tui.ui.widgets

    for package in (forum_tui.ui.screens, forum_tui.ui.widgets):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    for optional in ("aiosqlite", "sqlalchemy.dialects.sqlite.aiosqlite", "asyncpg"):
        with contextlib.suppress(ImportError):
            importlib.import_module(optional)
    gc.collect()
    gc.freeze()


def helper(sock: socket.socket) -> None:
    preload()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        ready, _, _ = select.select([sock, wake_r], [], [])
        if wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
            report_exits(sock)
        if sock in ready:
            message, fds, _flags, _addr = socket.recv_fds(sock, MESSAGE_MAX, 3)
            if not message:  # the server has gone; its sessions hang up through their PTYs
                return
            request = json.loads(message)
            pid = os.fork()
            if pid == 0:
                become_session(sock, (wake_r, wake_w), fds, request)
            for fd in fds:
                os.close(fd)
            sock.send(json.dumps({"id": request["id"], "pid": pid}).encode())


def report_exits(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(OSError):
            sock.send(json.dumps({"exit": pid, "code": code}).encode())


def become_session(
    sock: socket.socket, wake: tuple[int, int], fds: list[int], request: dict[str, Any]
) -> None:
    """In the forked child: the same start as ``python -m forum_tui.ssh.session``."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sock.close()
        for fd in wake:
            os.close(fd)
        slave, identity, events = fds
        os.setsid()
        for target in (0, 1, 2):
            os.dup2(slave, target)
        os.close(slave)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import textual.constants

        importlib.reload(textual.constants)  # its settings are read from the environment
        from textual.app import App

        # The one setting Textual copies out of its constants at import: the default theme.
        vars(App)["theme"]._default = textual.constants.DEFAULT_THEME
        from forum_tui.ssh import session

        code = session.main(["--identity-fd", str(identity), "--events-fd", str(events)])
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forum_tui.ssh.warm",
        description="Forks forum-tui sessions. Started by `forum-tui serve --warm`.",
    )
    parser.add_argument("--socket-fd", type=int, required=True)
    args = parser.parse_args(argv)
    helper(socket.socket(fileno=args.socket_fd))
    return 0


# --- the server's side ----------------------------------------------------------------------


class ForkedSession:
    """A session forked by the helper: what ChildProcess needs of a process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._done = asyncio.get_running_loop().create_future()

    def exited(self, code: int) -> None:
        if self.returncode is None:
            self.returncode = code
            self._done.set_result(code)

    async def wait(self) -> int:
        return await asyncio.shield(self._done)


async def _watch(session: ForkedSession) -> None:
    """Its helper is gone, so nobody will report this session's exit: look for it."""
    while session.returncode is None:
        try:
            os.kill(session.pid, 0)
        except ProcessLookupError:
            session.exited(1)
            return
        except PermissionError:
            pass
        await asyncio.sleep(0.5)


class WarmForker:
    """The server's end of the helper."""

    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None
        self._sock: socket.socket | None = None
        self._ids = itertools.count(1)
        self._starting: dict[int, asyncio.Future[ForkedSession]] = {}
        self._sessions: dict[int, ForkedSession] = {}
        self._early: dict[int, int] = {}

    async def start(self, python: str, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = await asyncio.create_subprocess_exec(
                python, "-m", "forum_tui.ssh.warm", "--socket-fd", str(theirs.fileno()),
                pass_fds=(theirs.fileno(),), env=env, stdin=asyncio.subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        self._sock = ours
        asyncio.get_running_loop().add_reader(ours, self._readable)

    async def spawn(
        self, *, slave: int, identity_fd: int, events_fd: int, env: dict[str, str], cwd: str
    ) -> ForkedSession:
        if self._sock is None:
            raise OSError("the warm process is not running")
        request_id = next(self._ids)
        started = asyncio.get_running_loop().create_future()
        self._starting[request_id] = started
        message = json.dumps({"id": request_id, "env": env, "cwd": cwd}).encode()
        try:
            socket.send_fds(self._sock, [message], [slave, identity_fd, events_fd])
            return await asyncio.wait_for(started, 30)
        except TimeoutError:
            raise OSError("the warm process did not start the session") from None
        finally:
            self._starting.pop(request_id, None)

    def _readable(self) -> None:
        assert self._sock is not None
        while True:
            try:
                message = self._sock.recv(MESSAGE_MAX)
            except BlockingIOError:
                return
            except OSError:
                message = b""
            if not message:
                self._gone()
                return
            data = json.loads(message)
            if "pid" in data:
                session = ForkedSession(data["pid"])
                self._sessions[session.pid] = session
                if session.pid in self._early:
                    session.exited(self._early.pop(session.pid))
                started = self._starting.get(data["id"])
                if started is not None and not started.done():
                    started.set_result(session)
            elif "exit" in data:
                found = self._sessions.pop(data["exit"], None)
                if found is not None:
                    found.exited(data["code"])
                else:
                    self._early[data["exit"]] = data["code"]

    def _gone(self) -> None:
        """The helper died: no more sessions from it, and no exit codes for those it made
        (their PTYs still tell the server when they end)."""
        if self._sock is not None:
            asyncio.get_running_loop().remove_reader(self._sock)
            self._sock.close()
            self._sock = None
        for started in self._starting.values():
            if not started.done():
                started.set_exception(OSError("the warm process has stopped"))
        for session in self._sessions.values():
            asyncio.get_running_loop().create_task(_watch(session))
        self._sessions.clear()

    @property
    def running(self) -> bool:
        return self._sock is not None

    async def close(self) -> None:
        if self._sock is not None:
            self._gone()
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 5)
            if self.process.returncode is None:
                self.process.kill()
                await self.process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
