"""``GET /metrics``: each carrier's binds and backlog, in Prometheus' text format.

The figures come from the database at each scrape, so every API process (serve and its workers,
on any machine) answers the same whichever one the scraper reaches. Only clients in the allowed
networks get them (carrier names and volumes are the operator's business); anyone else gets 404.

The alerts an operator usually sets: `smscloud_binds_up` below `smscloud_binds` for a few
minutes (a link is down), `smscloud_oldest_due_seconds` above a minute (a carrier is
not being sent to), `smscloud_oldest_awaiting_receipt_seconds` far above the carrier's usual
receipt delay (its receipts stopped), and `smscloud_due_messages` growing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable, Sequence

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from typing_extensions import override

from smscloud.domain.messages.backlog import CarrierBacklog

__all__ = ["metrics_routes", "render_backlog"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# (metric name, help, the CarrierBacklog field it shows)
_GAUGES: tuple[tuple[str, str, str], ...] = (
    ("smscloud_binds", "Bind slots configured for the carrier (0 when it is disabled).", "binds"),
    ("smscloud_binds_up", "Binds up now, as their senders last reported.", "binds_up"),
    ("smscloud_queued_messages", "Messages accepted and waiting to be sent, now or after a retry pause.", "queued"),
    ("smscloud_due_messages", "Queued messages that are due now.", "due"),
    (
        "smscloud_oldest_due_seconds",
        "How long the longest-waiting due message has waited to be sent (0 with none).",
        "oldest_due_s",
    ),
    (
        "smscloud_submitting_messages",
        "Messages claimed by a sender whose carrier answer is not stored yet.",
        "submitting",
    ),
    ("smscloud_awaiting_receipt_messages", "Messages accepted by the carrier, waiting for a receipt.", "submitted"),
    (
        "smscloud_oldest_awaiting_receipt_seconds",
        "How long the oldest message awaiting a receipt has waited (0 with none).",
        "oldest_submitted_s",
    ),
)


class _Snapshot(Collector):
    def __init__(self, backlog: Sequence[CarrierBacklog]) -> None:
        self._backlog = backlog

    @override
    def collect(self) -> Iterable[Metric]:
        for name, documentation, field in _GAUGES:
            gauge = GaugeMetricFamily(name, documentation, labels=["carrier"])
            for carrier in self._backlog:
                gauge.add_metric([carrier.carrier], float(getattr(carrier, field)))
            yield gauge


def render_backlog(backlog: Sequence[CarrierBacklog]) -> bytes:
    """The backlog in Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(backlog))
    return generate_latest(registry)


def _networks(allowed: Sequence[str]) -> list[_Network]:
    return [ipaddress.ip_network("0.0.0.0/0" if net == "*" else net) for net in allowed] + (
        [ipaddress.ip_network("::/0")] if "*" in allowed else []
    )


def _allowed(networks: Sequence[_Network], host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def metrics_routes(
    backlog: Callable[[], Awaitable[Sequence[CarrierBacklog]]], *, allowed: Sequence[str]
) -> list[BaseRoute]:
    """The route; `allowed`: the addresses or networks ("*": any) whose requests are answered."""
    networks = _networks(allowed)

    async def metrics(request: Request) -> Response:
        if request.client is None or not _allowed(networks, request.client.host):
            return PlainTextResponse("Not Found", 404)
        try:
            body = render_backlog(await backlog())
        except Exception as exc:
            return PlainTextResponse(f"database unavailable: {type(exc).__name__}\n", 503)
        return Response(body, 200, {"cache-control": "no-store"}, CONTENT_TYPE_LATEST)

    return [Route("/metrics", metrics, methods=["GET"])]
