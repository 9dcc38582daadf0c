"""The SMS gateway client. Development writes messages to the log; production posts them to the gateway's HTTP
API. Which one is used is the SMS_GATEWAY_URL setting: empty means the log."""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger("integrations.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached; ``temporary`` says whether a retry may help."""

    def __init__(self, message: str, *, temporary: bool):
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class LogSmsGateway:
    def send(self, phone: str, text: str) -> str:
        # Only the last digits of the number: logs must not become a directory of citizens' phones.
        logger.info("SMS to ***%s: %s", phone[-3:], text)
        return "logged"


@dataclass(frozen=True)
class HttpSmsGateway:
    url: str
    token: str
    timeout: float = 10.0

    def send(self, phone: str, text: str) -> str:
        try:
            response = requests.post(
                self.url,
                json={"phone": phone, "message": text},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}", temporary=True) from exc
        if response.status_code >= 500:
            raise SmsError(f"gateway error {response.status_code}", temporary=True)
        if response.status_code >= 400:
            raise SmsError(f"gateway refused {response.status_code}", temporary=False)
        return response.json().get("id", "") if response.content else ""


def sms_gateway() -> LogSmsGateway | HttpSmsGateway:
    url = getattr(settings, "SMS_GATEWAY_URL", "")
    return HttpSmsGateway(url, getattr(settings, "SMS_GATEWAY_TOKEN", "")) if url else LogSmsGateway()
