"""Fields several dossier forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


AGENCY_GROUPS = (
    Agency.Kind.DEPARTMENT,
    Agency.Kind.CENTRAL,
    Agency.Kind.COMMUNE,
    Agency.Kind.PROVINCE,
    Agency.Kind.SERVICE_CENTRE,
)


class AgencyField(forms.TypedChoiceField):
    """A select of the active agencies grouped by kind (one query when the form is built); cleans to an Agency."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", _("Cơ quan không hợp lệ."))
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.agencies: dict[int, Agency] = {}

    def load(self) -> None:
        agencies = Agency.objects.filter(is_active=True).only("id", "name", "kind").order_by("name")
        groups: dict[str, list] = {kind: [] for kind in AGENCY_GROUPS}
        for agency in agencies:
            groups.setdefault(agency.kind, []).append((agency.pk, agency.name))
            self.agencies[agency.pk] = agency
        self.choices = [("", _("— Chọn cơ quan —"))] + [
            (Agency.Kind(kind).label, items) for kind, items in groups.items() if items
        ]

    def clean(self, value) -> Agency | None:
        pk = super().clean(value)
        return None if pk is None else self.agencies[pk]
