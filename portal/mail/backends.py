"""The mail backend of the portal's "default" mailer: messages are stored (``OutgoingMail``) and sent by a worker
through the "transport" mailer (SMTP in production), so a page that sends mail (sign-up, password reset, a
notification) never waits for the mail server nor fails when it is down."""

from django.core.mail.backends.base import BaseEmailBackend

from portal.mail.services import mail_queue


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        return sum(1 for message in email_messages if mail_queue(message) is not None)
