"""The texts of the platform's e-mails, in the recipient's language (zh-CN or en)."""

from __future__ import annotations

from smscloud.domain.notifications.model import Mail

__all__ = ["activation_mail", "password_reset_mail", "review_result_mail"]

_SUBJECT_KINDS = {
    "qualification": ("资质", "qualification"),
    "signature": ("短信签名", "SMS signature"),
    "template": ("短信正文模板", "SMS template"),
}


def _zh(language: str) -> bool:
    return language.lower().startswith("zh")


def activation_mail(*, to_address: str, link: str, language: str) -> Mail:
    if _zh(language):
        return Mail(
            to_address=to_address,
            subject="激活您的 smscloud 账号",
            body=f"您好！\n\n请打开以下链接激活您的 smscloud 账号（24 小时内有效）：\n\n{link}\n\n"
            "如果这不是您本人的操作，请忽略本邮件。\n",
        )
    return Mail(
        to_address=to_address,
        subject="Activate your smscloud account",
        body=f"Hello,\n\nOpen this link to activate your smscloud account (valid for 24 hours):\n\n{link}\n\n"
        "If you did not sign up, ignore this e-mail.\n",
    )


def password_reset_mail(*, to_address: str, link: str, language: str) -> Mail:
    if _zh(language):
        return Mail(
            to_address=to_address,
            subject="重置您的 smscloud 密码",
            body=f"您好！\n\n请打开以下链接设置新密码（1 小时内有效）：\n\n{link}\n\n"
            "如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。\n",
        )
    return Mail(
        to_address=to_address,
        subject="Reset your smscloud password",
        body=f"Hello,\n\nOpen this link to choose a new password (valid for 1 hour):\n\n{link}\n\n"
        "If you did not ask for this, ignore this e-mail; your password stays as it is.\n",
    )


def review_result_mail(
    *, to_address: str, kind: str, name: str, approved: bool, reason: str, link: str, language: str
) -> Mail:
    """The result of an operator's review of a qualification, signature or template."""
    zh_kind, en_kind = _SUBJECT_KINDS[kind]
    if _zh(language):
        verdict = "已通过审核" if approved else "未通过审核"
        because = "" if approved else f"\n原因：{reason}\n\n请修改后重新提交。"
        return Mail(
            to_address=to_address,
            subject=f"您的{zh_kind}「{name}」{verdict}",
            body=f"您好！\n\n您的{zh_kind}「{name}」{verdict}。\n{because}\n详情：{link}\n",
        )
    verdict = "was approved" if approved else "was rejected"
    because = "" if approved else f"\nReason: {reason}\n\nPlease correct it and submit it again."
    return Mail(
        to_address=to_address,
        subject=f"Your {en_kind} “{name}” {verdict}",
        body=f"Hello,\n\nYour {en_kind} “{name}” {verdict}.\n{because}\nDetails: {link}\n",
    )
