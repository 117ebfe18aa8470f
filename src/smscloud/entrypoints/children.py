"""The processes `smscloud serve` runs beside itself, and how they live and die with it.

One Python process uses one core (the GIL). `serve` therefore runs the carrier connector (and
the built-in simulator) as child processes with exactly its settings, restarts a child that
dies, stops them on shutdown, and takes them down with it if it is killed: each child asks the
kernel for SIGKILL when its parent dies (Linux `PR_SET_PDEATHSIG`), so a `kill -9` of `serve`
leaves nothing behind, as a crash would.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Mapping

import msgspec
import structlog

from smscloud.config import SETTINGS_JSON_ENV, Settings

__all__ = ["PARENT_PID_ENV", "ChildProcess", "die_with_parent"]

log = structlog.get_logger(__name__)

PARENT_PID_ENV = "SMSCLOUD__PARENT_PID"
_PR_SET_PDEATHSIG = 1


def die_with_parent(environ: Mapping[str, str] | None = None) -> None:
    """In a child of `serve`: be killed when the parent dies, and exit now if it already has."""
    environ = os.environ if environ is None else environ
    parent = environ.get(PARENT_PID_ENV)
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != int(parent):  # the parent died before prctl took effect
        os._exit(1)


class ChildProcess:
    """`smscloud <role> [args]` as a child, restarted after a pause if it exits unasked."""

    def __init__(
        self,
        role: str,
        settings: Settings,
        *,
        args: tuple[str, ...] = (),
        pass_fds: tuple[int, ...] = (),
        restart_delay_s: float = 1.0,
    ) -> None:
        self.role = role
        self._args = args
        self._pass_fds = pass_fds
        self._env = dict(os.environ)
        self._env[SETTINGS_JSON_ENV] = msgspec.json.encode(settings).decode()
        self._env[PARENT_PID_ENV] = str(os.getpid())
        self._restart_delay_s = restart_delay_s
        self._process: asyncio.subprocess.Process | None = None
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.started = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"child-{self.role}")

    async def _run(self) -> None:
        while not self.stopping:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "smscloud.entrypoints.cli",
                self.role,
                *self._args,
                env=self._env,
                pass_fds=self._pass_fds,  # (the API's listening socket, for an API worker)
                start_new_session=True,  # a Ctrl-C reaches serve only, which stops its children in order
            )
            self.started.set()
            code = await self._process.wait()
            if self._exit_expected():
                return
            log.error("child.exited", role=self.role, exit_code=code, restart_in_s=self._restart_delay_s)
            await asyncio.sleep(self._restart_delay_s)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def _exit_expected(self) -> bool:
        return self._stopping

    def stop_soon(self) -> None:
        """Shutdown has begun: an exit from now on is expected, not restarted."""
        self._stopping = True

    async def stop(self, timeout_s: float = 15.0) -> None:
        self._stopping = True
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(timeout_s):  # not wait_for, which can swallow a cancellation on 3.11
                    await process.wait()
            except TimeoutError:
                log.error("child.kill", role=self.role, reason=f"no exit {timeout_s} s after SIGTERM")
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
