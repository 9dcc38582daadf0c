"""The people every test can use (``staff`` fixture, tests/conftest.py) and dossiers in any state, made by the real
services: a commune that receives birth registrations with its one-stop officers, Sở Tư pháp as the competent agency
with a handling officer, a leader and a department admin, a province admin, the applicant, another citizen, and an
officer of another commune."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers import filing, services
from dossiers.models import Dossier
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BIRTH = "1.001193"
JUSTICE = "000.00.05.H01"


def pdf(name: str = "ban-quet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Staff:
    birth: Procedure
    commune: Agency
    other_commune: Agency
    justice: Agency
    citizen: User
    receiver: User
    receiver_2: User
    handler: User
    leader: User
    stranger: User  # a one-stop officer of another commune
    outsider: User  # another citizen
    department_admin: User  # of Sở Tư pháp
    province_admin: User

    def register(
        self, *, procedure=None, channel=Dossier.Channel.DIRECT, name="Nguyễn Văn An", applicant=None
    ):
        return filing.dossier_register_at_counter(
            officer=self.receiver,
            procedure=procedure or self.birth,
            receiving_agency=self.commune,
            applicant=applicant,
            uploads=[("Tờ khai đăng ký khai sinh", pdf())],
            channel=channel,
            applicant_name=name,
            applicant_phone="0912345678",
        )

    def walk(self, dossier: Dossier, to: str) -> Dossier:
        """Move a registered dossier along the main path until it reaches state ``to``."""
        S = Dossier.State
        steps = [
            (S.RECEIVED, lambda d: services.dossier_receive(dossier=d, actor=self.receiver)),
            (
                S.PROCESSING,
                lambda d: services.dossier_transfer(
                    dossier=d, actor=self.receiver, handling_agency=self.justice
                ),
            ),
            (
                S.AWAITING_APPROVAL,
                lambda d: services.dossier_propose(dossier=d, actor=self.handler, note=""),
            ),
            (S.AWAITING_RETURN, lambda d: services.dossier_approve(dossier=d, actor=self.leader)),
            (S.RETURNED, lambda d: services.dossier_return_result(dossier=d, actor=self.receiver)),
        ]
        for _state, step in steps:
            dossier.refresh_from_db()
            if dossier.state == to:
                return dossier
            step(dossier)
        dossier.refresh_from_db()
        return dossier

    def dossier_in(self, state: str) -> Dossier:
        """A dossier of ``self.citizen`` in ``state``, brought there by the services as people would."""
        S = Dossier.State
        if state == S.DRAFT:
            draft = filing.dossier_draft_create(
                user=self.citizen, procedure=self.birth, receiving_agency=self.commune
            )
            return filing.dossier_details_update(
                dossier=draft, user=self.citizen, applicant_phone="0912345678"
            )
        side_roads = {
            S.REFUSED: (
                S.SUBMITTED,
                lambda d: services.dossier_refuse(dossier=d, actor=self.receiver, reason="Sai"),
            ),
            S.WITHDRAWN: (
                S.RECEIVED,
                lambda d: services.dossier_withdraw(dossier=d, actor=self.citizen, reason="Không cần nữa"),
            ),
            S.SUPPLEMENT: (
                S.PROCESSING,
                lambda d: services.dossier_request_supplement(
                    dossier=d, actor=self.handler, items=["Bản sao giấy chứng sinh"], reason="Bản chụp mờ"
                ),
            ),
            S.FINANCIAL: (
                S.PROCESSING,
                lambda d: services.dossier_financial(dossier=d, actor=self.handler, note="Lệ phí 8.000 đ"),
            ),
            S.CONSULTING: (
                S.PROCESSING,
                lambda d: services.dossier_consult(
                    dossier=d,
                    actor=self.handler,
                    agency=self.other_commune,
                    question="Xác minh nơi cư trú",
                    reply_by=timezone.now() + timedelta(days=3),
                ),
            ),
            S.STOPPED: (
                S.PROCESSING,
                lambda d: services.dossier_stop(dossier=d, actor=self.leader, reason="Giả mạo"),
            ),
        }
        dossier = self.register(applicant=self.citizen)
        if state in side_roads:
            before, step = side_roads[state]
            step(self.walk(dossier, before))
            dossier.refresh_from_db()
            return dossier
        return self.walk(dossier, state)


def make_staff(make_user) -> Staff:
    birth = Procedure.objects.get(code=BIRTH)
    communes = [
        link.agency
        for link in birth.agency_links.select_related("agency")
        .filter(agency__kind=Agency.Kind.COMMUNE)
        .order_by("agency__code")[:2]
    ]
    commune, other_commune = communes
    justice = Agency.objects.get(code=JUSTICE)
    onestop, handling, leader = User.Role.ONESTOP_OFFICER, User.Role.HANDLING_OFFICER, User.Role.LEADER
    return Staff(
        birth=birth,
        commune=commune,
        other_commune=other_commune,
        justice=justice,
        citizen=make_user("congdan", email="congdan@example.invalid", full_name="Trần Thị Bình"),
        receiver=make_user("motcua1", role=onestop, agency_code=commune.code, job_title="Công chức một cửa"),
        receiver_2=make_user("motcua2", role=onestop, agency_code=commune.code),
        handler=make_user("chuyenvien", role=handling, agency_code=justice.code, job_title="Chuyên viên"),
        leader=make_user("lanhdao", role=leader, agency_code=justice.code, job_title="Phó Giám đốc"),
        stranger=make_user("motcua-khac", role=onestop, agency_code=other_commune.code),
        outsider=make_user("nguoi-khac", email="khac@example.invalid", full_name="Người Khác"),
        department_admin=make_user("quantri-so", role=User.Role.DEPARTMENT_ADMIN, agency_code=justice.code),
        province_admin=make_user("quantri-tinh", role=User.Role.PROVINCE_ADMIN),
    )


def uploads_in(settings, tmp_path) -> None:
    """Uploaded files go to the test's own directory, not var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


def attach_required(draft: Dossier, user: User) -> None:
    """Attach a PDF to each document the draft still lacks, choosing the first case where one must be chosen,
    as an applicant completing their dossier would."""
    from dossiers.completeness import dossier_completeness, group_conditional

    completeness = dossier_completeness(draft)
    if completeness.case_to_choose:
        first = next(d for d in draft.procedure.documents.all() if group_conditional(d))
        filing.dossier_file_add(dossier=draft, user=user, upload=pdf(), requirement_id=first.pk)
        completeness = dossier_completeness(draft)
    for document in completeness.missing:
        filing.dossier_file_add(dossier=draft, user=user, upload=pdf(), requirement_id=document.pk)
