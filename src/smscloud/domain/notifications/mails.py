"""The texts of the platform's e-mails, in the recipient's language (zh-CN or en)."""

from __future__ import annotations

from smscloud.domain.notifications.model import Mail

__all__ = ["account_status_mail", "activation_mail", "password_reset_mail", "review_result_mail"]

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


def account_status_mail(*, to_address: str, suspended: bool, reason: str, link: str, language: str) -> Mail:
    """An operator suspended the account (every send refused), with the reason, or resumed it."""
    if _zh(language):
        if suspended:
            return Mail(
                to_address=to_address,
                subject="您的短信账号已被暂停",
                body=f"您好！\n\n您的账号已被平台运营方暂停，发送的所有短信都将被拒绝。\n原因：{reason}\n\n"
                f"如需解除，请联系平台运营方。\n详情：{link}\n",
            )
        return Mail(
            to_address=to_address,
            subject="您的短信账号已恢复发送",
            body=f"您好！\n\n您的账号已恢复，可以正常发送短信。\n详情：{link}\n",
        )
    if suspended:
        return Mail(
            to_address=to_address,
            subject="Your SMS account is suspended",
            body=f"Hello,\n\nThe platform's operators suspended your account: every message you send is refused.\n"
            f"Reason: {reason}\n\nContact the operators to have it lifted.\nDetails: {link}\n",
        )
    return Mail(
        to_address=to_address,
        subject="Your SMS account may send again",
        body=f"Hello,\n\nYour account may send messages again.\nDetails: {link}\n",
    )
