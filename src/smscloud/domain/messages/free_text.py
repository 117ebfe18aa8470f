"""Free text: a send that gives the finished message instead of a template and its parameters.

The legacy v5 API's `msg` is such a text (spec §2.3 sendsms): it "must match an approved
template", and it may start with `【签名】` to choose a signature other than the default one.
`read_free_text` finds the template and parameters that render the text, so the send is then
accepted like any template send, by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import Template, read_parameters, render

__all__ = ["FreeText", "default_signature", "read_free_text"]


@dataclass(frozen=True, slots=True)
class FreeText:
    """What a free text reads as: a template, its parameters, and the signature it names."""

    template_id: int
    params: list[str]
    sign_name: str


def default_signature(signatures: Sequence[Signature], *, tenant_id: int, international: bool) -> Signature | None:
    """The tenant's default signature for the region: its oldest usable one (Tencent's rule)."""
    usable = [s for s in signatures if s.usable_for(tenant_id=tenant_id, international=international)]
    return min(usable, key=lambda s: s.id, default=None)


def _split_signature(text: str) -> tuple[str | None, str]:
    """(`name`, body) of a text starting with 【name】, else (None, text)."""
    if text.startswith("【"):
        close = text.find("】")
        if close > 0:
            return text[1:close], text[close + 1 :]
    return None, text


def read_free_text(
    text: str,
    *,
    tenant_id: int,
    international: bool,
    templates: Sequence[Template],
    signatures: Sequence[Signature],
) -> FreeText | None:
    """The approved template of the tenant that renders `text`, or None if none does.

    A mainland China text that does not start with 【name】 is sent with the default signature. When
    several templates render the text, the one with the most constant text wins (the most specific),
    then the oldest. Whether the template, signature and parameters may be sent is not decided here:
    the send is accepted by `service.accept`, which checks them all.
    """
    named, body = _split_signature(text) if not international else (None, text)
    if named is None and not international:
        default = default_signature(signatures, tenant_id=tenant_id, international=False)
        sign_name = default.name if default is not None else ""
    else:
        sign_name = named or ""
    best: tuple[int, int, Template, list[str]] | None = None
    for template in templates:
        if not template.usable_by(tenant_id) or template.international != international:
            continue
        params = read_parameters(template.content, body)
        if params is None:
            continue
        constant = len(render(template.content, [""] * template.parameters))
        rank = (-constant, template.id)
        if best is None or rank < best[:2]:
            best = (*rank, template, params)
    if best is None:
        return None
    return FreeText(template_id=best[2].id, params=best[3], sign_name=sign_name)
