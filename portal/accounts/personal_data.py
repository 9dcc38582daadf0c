"""The personal-data export, assembled from what each app keeps about a person.

The accounts app writes what it holds itself (the account, identities, sessions, deletion requests: see
``selectors.personal_data_of``). Every other app that keeps data about a person registers one function, from its
``AppConfig.ready``, that returns its own sections as JSON-ready values: ``{"dossiers": [...], ...}``. The core
therefore exports a feature's data without importing the feature.
"""

from collections.abc import Callable

Contribution = Callable[..., dict]

_contributions: list[Contribution] = []


def personal_data_register(contribution: Contribution) -> None:
    """Add ``contribution(user)`` to every export; registering the same function twice adds it once."""
    if contribution not in _contributions:
        _contributions.append(contribution)


def personal_data_contributed(user) -> dict:
    """The sections every registered app returns for ``user``, merged; two apps may not claim the same section."""
    sections: dict = {}
    for contribution in _contributions:
        part = contribution(user)
        clash = sections.keys() & part.keys()
        if clash:
            raise ValueError(f"personal-data sections claimed twice: {sorted(clash)}")
        sections.update(part)
    return sections
