"""The demo accounts ``manage.py load_demo`` creates (development only; the command refuses production)."""

from django.db import transaction

from portal.accounts.models import AgencyMembership, User
from portal.agencies.models import Agency

# username, role, agency code (None: no agency), superuser. The agencies are An Giang's (agencies/data/91.json):
# the one-stop officer works at the provincial service centre, the others in the Department of Justice.
DEMO_ACCOUNTS = [
    ("congdan", User.Role.CITIZEN, None, False),
    ("motcua", User.Role.ONESTOP_OFFICER, "000.00.01.H01", False),
    ("chuyenvien", User.Role.HANDLING_OFFICER, "000.00.05.H01", False),
    ("lanhdao", User.Role.LEADER, "000.00.05.H01", False),
    ("quantri", User.Role.DEPARTMENT_ADMIN, "000.00.05.H01", False),
    ("admin", User.Role.PROVINCE_ADMIN, None, True),
]
DEMO_NAMES = {
    "congdan": "Nguyễn Văn An",
    "motcua": "Trần Thị Bình",
    "chuyenvien": "Lê Minh Châu",
    "lanhdao": "Phạm Quốc Dũng",
    "quantri": "Võ Thị Hạnh",
    "admin": "Quản trị hệ thống",
}

# The demo citizen stands for an account of the national sign-on: its personal id is in the stand-in population
# database (integrations/standin/population.py DEMO_PERSON), so the draft form can be pre-filled in the demo.
DEMO_PERSONAL_ID = "091090000001"


@transaction.atomic
def demo_accounts_create(*, password: str) -> list[User]:
    """Create or reset the demo accounts (development only; the command refuses to run in production)."""
    users = []
    for username, role, agency_code, is_superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.full_name = DEMO_NAMES[username]
        if role == User.Role.CITIZEN:
            user.personal_id = DEMO_PERSONAL_ID
        user.email = f"{username}@example.invalid"
        user.is_superuser = is_superuser
        # Django's admin is where department admins keep their catalogue in this first version.
        user.is_staff = is_superuser or role in {User.Role.DEPARTMENT_ADMIN, User.Role.PROVINCE_ADMIN}
        user.set_password(password)
        user.save()
        if agency_code:
            agency = Agency.objects.filter(code=agency_code).first()
            if agency:
                AgencyMembership.objects.get_or_create(user=user, agency=agency)
        users.append(user)
    return users
