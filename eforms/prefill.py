"""Where a new declaration's answers come from before the applicant types anything.

``prefill_values(user)`` is the one function the form calls. Today it reads the applicant's profile
(``prefill_from_profile``). The national population database client (``integrations/population/``, being built on
another branch) plugs in at ``VERIFIED_SOURCES``: a function ``(user) -> dict`` returning the verified fields it
holds (same keys as ``schema.PREFILL_KEYS``), appended there once the applicant has consented; its values win over the
profile's because they are verified. Nothing is registered there until that client exists.
"""

from collections.abc import Callable

from portal.accounts.models import User

VERIFIED_SOURCES: list[Callable[[User], dict]] = []


def prefill_from_profile(user: User) -> dict:
    """What the applicant's own profile says (only what is filled in)."""
    values = {
        "full_name": user.full_name,
        "personal_id": user.personal_id,
        "phone": user.phone,
        "email": user.email,
    }
    if user.birth_date:
        values["birth_date"] = {
            "ngay": f"{user.birth_date.day:02d}",
            "thang": f"{user.birth_date.month:02d}",
            "nam": str(user.birth_date.year),
        }
    return {key: value for key, value in values.items() if value}


def prefill_values(user: User) -> dict:
    """The profile's values, overridden by every verified source registered in ``VERIFIED_SOURCES``."""
    values = prefill_from_profile(user)
    for source in VERIFIED_SOURCES:
        values.update({key: value for key, value in source(user).items() if value})
    return values


def prefilled_answers(definition: dict, user: User) -> dict:
    """Initial answers for ``definition``: each plain-section field marked ``prefill`` gets the user's value when its
    type can hold it."""
    values = prefill_values(user)
    answers: dict = {}
    for section in definition["sections"]:
        if "repeat" in section:
            continue
        for field in section["fields"]:
            key = field.get("prefill")
            if key not in values:
                continue
            value = values[key]
            if (field["type"] == "date") != isinstance(value, dict):
                continue
            answers.setdefault(section["id"], {})[field["id"]] = value
    return answers
