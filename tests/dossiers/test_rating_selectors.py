"""The read-only facts the ratings app reads about a dossier (dossiers/selectors.py)."""

from dossiers import selectors
from dossiers.models import Dossier

S = Dossier.State


def test_a_returned_dossiers_rating_facts(staff, uploads_in_tmp):
    dossier = staff.dossier_in(S.RETURNED)
    facts = selectors.dossier_rating_facts(dossier.pk)
    assert facts["state"] == S.RETURNED and facts["code"] == dossier.code
    assert facts["applicant_id"] == staff.citizen.pk
    assert (facts["receiving_agency_id"], facts["handling_agency_id"]) == (staff.commune.pk, staff.justice.pk)
    assert (
        facts["receiving_agency__kind"] == "commune" and facts["procedure__field_id"] == staff.birth.field_id
    )
    assert facts["on_time"] and not facts["online"]  # registered at the counter, returned at once
    assert facts["steps_late"] == 0 and facts["steps_early"] + facts["steps_on_time"] > 0
    assert set(facts["officer_ids"]) == {staff.receiver.pk, staff.handler.pk, staff.leader.pk}


def test_no_facts_for_a_draft_or_an_unknown_id(staff, uploads_in_tmp):
    draft = staff.dossier_in(S.DRAFT)
    assert selectors.dossier_rating_facts(draft.pk) is None
    assert selectors.dossier_rating_facts(10**9) is None
    assert selectors.dossier_label(draft.pk) is None


def test_whose_dossier_and_whose_counter(staff, uploads_in_tmp):
    dossier = staff.dossier_in(S.RETURNED)
    assert selectors.dossier_is_applicants(dossier_id=dossier.pk, user=staff.citizen)
    assert not selectors.dossier_is_applicants(dossier_id=dossier.pk, user=staff.outsider)
    assert selectors.dossier_at_officers_counter(dossier_id=dossier.pk, user=staff.receiver)
    assert selectors.dossier_at_officers_counter(dossier_id=dossier.pk, user=staff.handler)
    assert not selectors.dossier_at_officers_counter(dossier_id=dossier.pk, user=staff.stranger)
    assert not selectors.dossier_at_officers_counter(dossier_id=dossier.pk, user=staff.citizen)
