import pytest

from tests.accounts.mfa import failed_attempts_forget
from tests.sso.conftest import op, sso  # noqa: F401 (the test OpenID provider and the portal set up for it)


@pytest.fixture(autouse=True)
def _failed_attempts_forgotten(db):
    """allauth counts failed passwords and codes in the cache, keyed on login names, account ids and user ids, which the next test
    may reuse (ids do on SQLite): forget what this test's users used up."""
    yield
    from portal.accounts.models import User

    for pk, username, email in User.objects.values_list("pk", "username", "email"):
        names = {username.lower(), email.lower()} - {""}
        failed_attempts_forget(
            f"mfa-auth-user-{pk}", f"testserver:account:{pk}", *(f"testserver:{name}" for name in names)
        )
