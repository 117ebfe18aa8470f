"""`Error.Message` in Chinese, for callers whose `X-TC-Language` is zh-CN (the SDKs' default).

One sentence per code, after the wording of Tencent's SDK error tables, without what only
applies on Tencent Cloud (its console, its support assistant). The English text of the error,
which names the field or value at fault, follows it in brackets.
"""

from __future__ import annotations

__all__ = ["CHINESE", "localized"]

CHINESE: dict[str, str] = {
    "AuthFailure.InvalidAuthorization": "请求头部的 Authorization 不符合腾讯云标准。",
    "AuthFailure.SecretIdNotFound": "密钥不存在或已停用。",
    "AuthFailure.SignatureExpire": "签名过期，请求时间戳与服务器时间相差超过五分钟。",
    "AuthFailure.SignatureFailure": "签名错误。",
    "AuthFailure.TokenFailure": "Token 错误。",
    "FailedOperation": "操作失败。",
    "FailedOperation.ForbidAddMarketingTemplates": "个人用户不能申请营销短信。",
    "FailedOperation.JsonParseFail": "解析请求包体时失败。",
    "FailedOperation.MarketingSendTimeConstraint": "营销短信只允许在 8 点到 22 点发送。",
    "FailedOperation.MissingSignatureToModify": "此签名 ID 未提交申请或不存在，不能进行修改操作。",
    "FailedOperation.MissingTemplateToModify": "此模板 ID 未提交申请或不存在，不能进行修改操作。",
    "FailedOperation.NotEnterpriseCertification": "非企业认证无法使用签名及模板相关接口。",
    "FailedOperation.QualificationIdNotApproved": "资质未审核通过。",
    "FailedOperation.SignIdNotExist": "签名 ID 不存在。",
    "FailedOperation.SignNumberLimit": "签名个数达到最大值。",
    "FailedOperation.SignatureIncorrectOrUnapproved": "签名未审批或格式错误（签名只能由中英文、数字组成，2-12 个字）。",
    "FailedOperation.TemplateAlreadyPassedCheck": "此模板已经通过审核，无法再次进行修改。",
    "FailedOperation.TemplateIdNotExist": "模板 ID 不存在。",
    "FailedOperation.TemplateIncorrectOrUnapproved": "模板未审批或内容不匹配。",
    "FailedOperation.TemplateNumberLimit": "模板个数达到最大值。",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate": "请求内容与审核通过的模板不匹配，请检查参数个数。",
    "InternalError": "内部错误。",
    "InvalidAction": "接口不存在。",
    "InvalidParameter": "参数错误。",
    "InvalidParameterValue": "参数取值错误。",
    "InvalidParameterValue.BeginTimeVerifyFail": "开始时间校验错误。",
    "InvalidParameterValue.ContentLengthLimit": "请求的短信内容太长。",
    "InvalidParameterValue.EndTimeVerifyFail": "结束时间校验错误。",
    "InvalidParameterValue.ImageInvalid": "上传的转码图片格式错误。",
    "InvalidParameterValue.IncorrectPhoneNumber": "手机号格式错误。",
    "InvalidParameterValue.InvalidDocumentType": "DocumentType 字段校验错误。",
    "InvalidParameterValue.InvalidInternational": "International 字段校验错误。",
    "InvalidParameterValue.InvalidSignPurpose": "SignPurpose 字段校验错误。",
    "InvalidParameterValue.InvalidSmsType": "SmsType 字段校验错误。",
    "InvalidParameterValue.InvalidStartTime": "拉取时间区间不正确：开始时间晚于结束时间。",
    "InvalidParameterValue.InvalidTemplateFormat": "模板格式错误。",
    "InvalidParameterValue.InvalidUsedMethod": "UsedMethod 字段校验错误。",
    "InvalidParameterValue.LimitVerifyFail": "Limit 参数校验错误。",
    "InvalidParameterValue.MarketingTemplateWithoutUnsubscribe": "营销短信模板须在尾部添加“拒收请回复R”。",
    "InvalidParameterValue.OffsetVerifyFail": "Offset 参数校验错误。",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": "禁止在模板变量中使用 URL。",
    "InvalidParameterValue.QualificationIdNotFound": "资质 ID 不存在。",
    "InvalidParameterValue.SdkAppIdNotExist": "SdkAppId 不存在。",
    "InvalidParameterValue.SignAlreadyPassedCheck": "此签名已经通过审核，无法再次进行修改。",
    "InvalidParameterValue.SignExistAndUnapproved": "已存在相同的待审核签名。",
    "InvalidParameterValue.SignNameLengthTooLong": "签名内容过长。",
    "InvalidParameterValue.TemplateParameterFormatError": "验证码模板的变量只能是 0-6 位纯数字。",
    "LimitExceeded.PhoneNumberCountLimit": "单次提交的手机号个数超过 200 个。",
    "MissingParameter": "缺少参数。",
    "MissingParameter.EmptyPhoneNumberSet": "传入的号码列表为空。",
    "NoSuchVersion": "接口版本不存在。",
    "ResourceNotFound": "资源不存在。",
    "UnauthorizedOperation": "未授权操作。",
    "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny": "个人用户没有发营销短信的权限。",
    "UnauthorizedOperation.RequestPermissionDeny": "请求没有权限。",
    "UnauthorizedOperation.SdkAppIdIsDisabled": "此 SdkAppId 已停用。",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": "SmsSdkAppId 校验失败：不属于该密钥所在的账号。",
    "UnsupportedOperation": "操作不支持。",
    "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone": "国内短信模板不支持发送国际/港澳台手机号。",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": "群发请求里既有国内手机号也有国际手机号。",
    "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone": "国际/港澳台短信模板不支持发送国内手机号。",
    "UnsupportedOperation.UnsupportedRegion": "不支持该地区短信下发。",
    "UnsupportedProtocol": "HTTP 请求方法不支持，请使用 POST 或 GET。",
}


def localized(code: str, message: str, language: str | None) -> str:
    """The message for a caller that asked for `language` (None: Tencent's default, zh-CN)."""
    if language == "en-US":
        return message
    chinese = CHINESE.get(code)
    return message if chinese is None else f"{chinese}（{message}）"
