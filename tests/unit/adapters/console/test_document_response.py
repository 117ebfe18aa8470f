"""Uploaded documents are served with a Content-Disposition any file name fits in."""

from __future__ import annotations

from urllib.parse import unquote

from smscloud.adapters.console.security import document_response


def test_a_chinese_file_name_travels_in_the_extended_parameter() -> None:
    response = document_response(b"%PDF-1.4", content_type="application/pdf", filename="营业执照.pdf")
    disposition = response.headers["content-disposition"]
    assert disposition.isascii()
    assert disposition.startswith('attachment; filename="____.pdf"; ')  # never opened on the console's origin
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == "营业执照.pdf"
    assert response.headers["content-type"] == "application/pdf"
    assert response.body == b"%PDF-1.4"


def test_a_quote_or_backslash_cannot_end_the_parameter() -> None:
    disposition = document_response(b"x", content_type="image/png", filename='a"; x=\\y.png').headers[
        "content-disposition"
    ]
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "a_; x=_y.png"
    assert disposition.count('"') == 2


def test_an_image_is_shown_inline_in_a_sandbox() -> None:
    response = document_response(b"\x89PNG", content_type="image/png", filename="proof.png")
    assert response.headers["content-disposition"].startswith('inline; filename="proof.png"')
    assert response.headers["content-security-policy"] == "sandbox; default-src 'none'; img-src 'self'"
