"""``load_demo`` creates the test certificate authority, so the demo's issued PDFs are signed."""

from django.core.management import call_command
from django.dispatch import receiver

from portal.demo import demo_data_loading


@receiver(demo_data_loading, dispatch_uid="signing_demo_ca")
def _create_demo_ca(sender, stdout=None, stderr=None, **kwargs) -> None:
    from django.conf import settings

    if settings.SIGNING_CERT_PATH and settings.SIGNING_KEY_PATH and settings.SIGNING_CA_PATH:
        call_command("signing_demo_ca", stdout=stdout)
