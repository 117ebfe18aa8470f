"""A long reply through the whole stack: the SDK sends to the simulator's handset …0000009, whose
answer comes back over SMPP in two concatenated parts, and PullSmsReplyStatus returns it once, whole."""

from __future__ import annotations

import time
from typing import Any

import pytest
from tencentcloud.sms.v20210111 import models

from smscloud.adapters.simulator.scenarios import LONG_REPLY_TEXT
from tests.support.sdk import client
from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e

LONG_REPLIES = "+8613800000009"


def test_a_long_reply_is_pulled_once_as_one_text(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    request = models.SendSmsRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.SignName = demo["sign_name"]
    request.TemplateId = demo["templates"]["verification"]
    request.TemplateParamSet = ["1357"]
    request.PhoneNumberSet = [LONG_REPLIES]
    (status,) = sms.SendSms(request).SendStatusSet
    assert status.Code == "Ok"

    pull = models.PullSmsReplyStatusRequest()
    pull.SmsSdkAppId = demo["sdk_app_id"]
    pull.Limit = 10
    replies: list[Any] = []
    deadline = time.monotonic() + 30
    while not replies and time.monotonic() < deadline:
        replies = list(sms.PullSmsReplyStatus(pull).PullSmsReplyStatusSet)
        time.sleep(0.2)
    (reply,) = replies
    assert (reply.PhoneNumber, reply.ReplyContent, reply.SignName) == (LONG_REPLIES, LONG_REPLY_TEXT, demo["sign_name"])
    time.sleep(1)  # nothing more comes: no fragment of it, no second copy
    assert list(sms.PullSmsReplyStatus(pull).PullSmsReplyStatusSet) == []
