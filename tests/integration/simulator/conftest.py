"""Fixtures: simulators on ephemeral loopback ports, and ESME clients, all closed after the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from smscloud.adapters.simulator import Simulator, SimulatorConfig
from tests.integration.simulator.esme import Esme

CREDENTIALS = [("esme1", "secret1"), ("esme1", "other1"), ("esme2", "secret2")]

MakeSimulator = Callable[..., Awaitable[Simulator]]
Connect = Callable[..., Awaitable[Esme]]


@pytest.fixture
async def make_simulator() -> AsyncIterator[MakeSimulator]:
    started: list[Simulator] = []

    async def make(**overrides: Any) -> Simulator:
        settings: dict[str, Any] = {"port": 0, "credentials": CREDENTIALS, "receipt_delay_s": 0.0}
        settings.update(overrides)
        simulator = Simulator(SimulatorConfig(**settings))
        await simulator.start()
        started.append(simulator)
        return simulator

    yield make
    for simulator in started:
        await simulator.stop()


@pytest.fixture
async def simulator(make_simulator: MakeSimulator) -> Simulator:
    return await make_simulator()


@pytest.fixture
async def connect(make_simulator: MakeSimulator) -> AsyncIterator[Connect]:
    """``await connect(simulator, mode="transceiver")``: a bound client (``mode=None``: not bound)."""
    clients: list[Esme] = []

    async def make(
        simulator: Simulator,
        *,
        mode: str | None = "transceiver",
        system_id: str = "esme1",
        password: str = "secret1",  # noqa: S107 - the test credentials
    ) -> Esme:
        client = await Esme.connect(simulator.address)
        clients.append(client)
        if mode is not None:
            response = await client.bind(system_id, password, mode=mode)
            assert response.command_status == 0, response
        return client

    yield make
    for client in clients:
        await client.close()
