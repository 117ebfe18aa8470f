"""`smscloud simulator`: the built-in SMSC on its own, and its configuration from settings."""

from __future__ import annotations

from pathlib import Path

from smscloud.adapters.simulator import SimulatorConfig, run_simulator
from smscloud.config import Settings, SettingsError
from smscloud.entrypoints.cli_errors import CommandError, listen_failure

__all__ = ["run_standalone", "simulator_config"]


def simulator_config(settings: Settings) -> SimulatorConfig:
    """The simulator's configuration from the settings; a value it refuses is a `SettingsError`."""
    sim = settings.simulator
    try:
        return SimulatorConfig(
            host=sim.host,
            port=sim.port,
            credentials=((sim.system_id, sim.password),),
            receipt_delay_s=sim.receipt_delay_s,
            submit_delay_s=sim.submit_delay_s,
            receipt_window=sim.receipt_window,
            enquire_link_s=sim.enquire_link_s,
            idle_timeout_s=sim.idle_timeout_s,
            ledger_path=Path(sim.ledger_path) if sim.ledger_path else None,
        )
    except ValueError as exc:
        raise SettingsError(f"simulator settings (SMSCLOUD_SIMULATOR__*): {exc}") from None


async def run_standalone(settings: Settings) -> None:
    """Run the simulator until SIGINT/SIGTERM; a port it cannot listen on is a `CommandError`."""
    listening = False

    def announce(address: tuple[str, int]) -> None:
        nonlocal listening
        listening = True
        host, port = address
        print(f"smscloud simulator listening on {host}:{port} (SMPP 3.4)", flush=True)  # noqa: T201

    try:
        await run_simulator(simulator_config(settings), started=announce)
    except OSError as exc:
        if listening or exc.filename is not None:  # not the listening socket (the ledger file, …)
            raise
        sim = settings.simulator
        raise CommandError(listen_failure(sim.host, sim.port, "carrier simulator", exc)) from exc
