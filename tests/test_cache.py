"""The one way to keep something made from data (portal/cache): kept while its namespaces' versions are unchanged."""

import pytest
from django.db import transaction

from portal import cache as versioned

pytestmark = pytest.mark.django_db


def test_a_value_is_made_once_and_again_after_its_namespace_is_bumped():
    made = []

    def make():
        made.append(1)
        return f"value {len(made)}"

    assert versioned.get_or_set("test:thing", ["a", "b"], make, 60) == "value 1"
    assert versioned.get_or_set("test:thing", ["a", "b"], make, 60) == "value 1"
    versioned.bump("b")
    assert versioned.get_or_set("test:thing", ["a", "b"], make, 60) == "value 2"
    versioned.bump("c")  # another namespace: what was made from a and b is still good
    assert versioned.get_or_set("test:thing", ["a", "b"], make, 60) == "value 2"


def test_a_bump_in_a_transaction_bumps_again_at_commit(django_capture_on_commit_callbacks):
    before = versioned.version("a")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        versioned.bump("a")
        during = versioned.version("a")
    # A reader that read the data before the commit kept it under ``during``: that is never used again.
    assert len({before, during, versioned.version("a")}) == 3


def test_bumps_in_a_deferred_block_are_made_once_at_its_end():
    before = versioned.version("a")
    with versioned.bumps_deferred():
        versioned.bump("a")
        versioned.bump("a")
        assert versioned.version("a") == before
    assert versioned.version("a") != before


def test_a_missing_version_starts_from_its_apps_starter():
    versioned.starts("test-derived", lambda: "from the table")
    assert versioned.version("test-derived") == "from the table"
