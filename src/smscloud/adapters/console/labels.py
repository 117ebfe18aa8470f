"""Names of values (statuses, types, reasons) in both languages, keyed `<kind>.<value>`."""

from __future__ import annotations

__all__ = ["LABELS"]

LABELS: dict[str, tuple[str, str]] = {
    # review of qualifications, signatures, templates
    "review.pending": ("Under review", "审核中"),
    "review.approved": ("Approved", "已通过"),
    "review.rejected": ("Rejected", "未通过"),
    # messages
    "status.queued": ("Queued", "排队中"),
    "status.submitting": ("Submitting", "提交中"),
    "status.submitted": ("Submitted", "已提交"),
    "status.delivered": ("Delivered", "发送成功"),
    "status.undelivered": ("Undelivered", "发送失败"),
    "status.expired": ("Expired", "已过期"),
    "status.rejected": ("Rejected by the carrier", "运营商拒收"),
    "status.failed": ("Failed", "失败"),
    # applications, keys, tenants
    "status.active": ("Active", "已启用"),
    "status.disabled": ("Disabled", "已停用"),
    "status.suspended": ("Suspended", "已暂停"),
    # account types
    "kind.individual": ("Individual", "个人"),
    "kind.enterprise": ("Enterprise", "企业"),
    # signature types and documents (AddSmsSign SignType / DocumentType)
    "signtype.0": ("Company", "公司"),
    "signtype.1": ("App", "App"),
    "signtype.2": ("Website", "网站"),
    "signtype.3": ("Official account", "公众号"),
    "signtype.4": ("Trademark", "商标"),
    "signtype.5": ("Government or institution", "政府/机关事业单位/其他机构"),
    "signtype.6": ("Mini program", "小程序"),
    "doctype.0": ("Three-in-one licence", "三证合一"),
    "doctype.1": ("Business licence", "企业营业执照"),
    "doctype.2": ("Organisation code certificate", "组织机构代码证书"),
    "doctype.3": ("Social credit code certificate", "社会信用代码证书"),
    "doctype.4": ("App back-end screenshot", "应用后台管理截图"),
    "doctype.5": ("Website ICP record screenshot", "网站备案后台截图"),
    "doctype.6": ("Mini program settings screenshot", "小程序设置页面截图"),
    "doctype.7": ("Trademark certificate", "商标注册书"),
    "doctype.8": ("Official account settings screenshot", "公众号设置页面截图"),
    "smstype.1": ("Marketing", "营销短信"),
    "smstype.2": ("Notification", "通知短信"),
    "smstype.3": ("Verification code", "验证码短信"),
    # operators' queues and mail
    "queue.qualification": ("Qualifications", "资质审核"),
    "queue.signature": ("Signatures", "签名审核"),
    "queue.template": ("Templates", "模板审核"),
    "mail.waiting": ("Waiting", "待发送"),
    "mail.kept": ("Kept (no SMTP)", "未发送（未配置 SMTP）"),
    "mail.sent": ("Sent", "已发送"),
    "mail.failed": ("Failed", "发送失败"),
    # the audit log (domain.audit): what was done (`<subject>.<verb>`), to what, by whom
    "audit.qualification.submit": ("Qualification submitted", "资质已提交"),
    "audit.qualification.approve": ("Qualification approved", "资质已通过"),
    "audit.qualification.reject": ("Qualification rejected", "资质未通过"),
    "audit.signature.approve": ("Signature approved", "签名已通过"),
    "audit.signature.reject": ("Signature rejected", "签名未通过"),
    "audit.template.approve": ("Template approved", "模板已通过"),
    "audit.template.reject": ("Template rejected", "模板未通过"),
    "audit.sms.enable": ("SMS service enabled", "短信服务已开通"),
    "audit.tenant.suspend": ("Account suspended", "账号已暂停"),
    "audit.tenant.resume": ("Account resumed", "账号已恢复"),
    "audit.tenant.two_step_reset": ("Two-step verification turned off by an operator", "运营人员关闭了两步验证"),
    "subject.qualification": ("Qualification", "资质"),
    "subject.signature": ("Signature", "签名"),
    "subject.template": ("Template", "模板"),
    "subject.tenant": ("Account", "账号"),
    "actor.operator": ("operator #{id}", "运营人员 #{id}"),
    "actor.user": ("user #{id}", "用户 #{id}"),
    "actor.system": ("System", "系统"),
    # what an account lacks before it may use SMS
    "missing.profile": ("the profile is not complete", "账号资料尚未完善"),
    "missing.qualification": (
        "the enterprise qualification is not submitted or was rejected",
        "企业资质尚未提交或未通过审核",
    ),
    "missing.qualification_pending": ("the enterprise qualification is waiting for review", "企业资质正在审核中"),
    # why a test send was refused (domain.messages.refusals.Refusal)
    "refusal.empty_phone_number_set": ("Enter a phone number.", "请输入手机号码。"),
    "refusal.too_many_phone_numbers": ("At most 200 numbers per send.", "每次最多发送 200 个号码。"),
    "refusal.app_not_found": ("The application does not exist.", "应用不存在。"),
    "refusal.app_not_yours": ("The application does not exist.", "应用不存在。"),
    "refusal.app_disabled": ("The application is disabled.", "应用已停用。"),
    "refusal.account_suspended": ("The account is suspended.", "账号已暂停。"),
    "refusal.mixed_domestic_and_international": (
        "Mainland China and international numbers cannot be mixed.",
        "国内号码与国际号码不能混合发送。",
    ),
    "refusal.session_context_too_long": ("The session context is too long.", "SessionContext 过长。"),
    "refusal.invalid_extend_code": ("The extend code is invalid.", "扩展码无效。"),
    "refusal.invalid_sender_id": ("The sender ID is invalid.", "Sender ID 无效。"),
    "refusal.invalid_phone_number": ("This is not a phone number.", "手机号码格式错误。"),
    "refusal.unsupported_region": ("No route serves this country or region.", "暂不支持该国家或地区。"),
    "refusal.template_unapproved": ("The template is not approved.", "模板未通过审核。"),
    "refusal.domestic_template_to_global_phone": (
        "A domestic template cannot be sent to an international number.",
        "国内短信模板不能发送到国际号码。",
    ),
    "refusal.global_template_to_domestic_phone": (
        "An international template cannot be sent to a mainland China number.",
        "国际短信模板不能发送到国内号码。",
    ),
    "refusal.signature_unapproved": ("The signature is not approved.", "签名未通过审核。"),
    "refusal.template_params_mismatch": (
        "The number of parameters does not match the template.",
        "参数个数与模板不匹配。",
    ),
    "refusal.verification_code_format": (
        "A verification code must be 0 to 6 digits.",
        "验证码参数须为 0 到 6 位数字。",
    ),
    "refusal.url_in_parameter": ("Parameters may not hold links.", "参数中不能包含链接。"),
    "refusal.content_too_long": ("The message is too long.", "短信内容过长。"),
    "refusal.marketing_time_window": (
        "Marketing messages can only be sent between 08:00 and 22:00.",
        "营销短信只能在 08:00 至 22:00 发送。",
    ),
    "refusal.individual_marketing": (
        "Individual accounts cannot send marketing messages.",
        "个人账号不能发送营销短信。",
    ),
}
