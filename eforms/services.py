"""Writes of the declaration forms: definitions imported as new versions, answers saved section by section, and the
finished declaration rendered and attached to its dossier."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import filing
from dossiers.population import dossier_population_prefill, population_record
from dossiers.selectors import dossier_file_of
from eforms import answers as checks
from eforms.errors import DeclarationNotEditable, EformError, InvalidDefinition
from eforms.models import AnswerSet, FormDefinition
from eforms.prefill import prefilled_answers, registered_apply
from eforms.schema import definition_errors
from eforms.search import answers_search_text
from eforms.selectors import commune_codes, requirement_for
from portal.catalog.models import Procedure


@transaction.atomic
def definition_import(*, data, user=None) -> tuple[FormDefinition, bool]:
    """Store ``data`` as the procedure's current form: a new version when it differs from the current one (answers
    already started keep theirs), nothing when it is the same. Returns the current definition and whether it is new."""
    problems = definition_errors(data)
    if problems:
        raise InvalidDefinition(problems)
    procedure = Procedure.objects.filter(code=data["code"]).first()
    if procedure is None:
        raise InvalidDefinition([_("Không có thủ tục mã %(code)s trong danh mục.") % {"code": data["code"]}])
    schema = {key: value for key, value in data.items() if key != "version"}
    current = FormDefinition.objects.select_for_update().filter(procedure=procedure, is_current=True).first()
    if current is not None and current.schema == schema:
        return current, False
    last = FormDefinition.objects.filter(procedure=procedure).aggregate(n=Max("version"))["n"] or 0
    FormDefinition.objects.filter(procedure=procedure, is_current=True).update(is_current=False)
    definition = FormDefinition.objects.create(
        procedure=procedure, version=last + 1, title=schema["title"], schema=schema, created_by=user
    )
    return definition, True


def definition_export(definition: FormDefinition) -> dict:
    return {**definition.schema, "version": definition.version}


def _check_draft(dossier, user) -> None:
    if dossier.applicant_id != user.pk or dossier.state != dossier.State.DRAFT:
        raise DeclarationNotEditable()


@transaction.atomic
def answer_set_start(*, dossier, user, definition: FormDefinition) -> AnswerSet:
    """The dossier's answer set: the one started already (with the version it started with), or a new one on
    ``definition``, prefilled (see ``eforms.prefill``)."""
    # Two first visits at once (two tabs) must not both create one: the dossier's row is the lock.
    type(dossier).objects.select_for_update(no_key=True).filter(pk=dossier.pk).first()
    existing = AnswerSet.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    _check_draft(dossier, user)
    answers = prefilled_answers(definition.schema, user, dossier.pk)
    return AnswerSet.objects.create(
        dossier=dossier,
        definition=definition,
        answers=answers,
        search_text=answers_search_text(definition.schema, answers),
    )


def _reopen(answer_set: AnswerSet, user) -> None:
    """Answers changed after the declaration was finished: its attached PDF no longer says what they say."""
    if answer_set.file_id is not None:
        dossier_file = dossier_file_of(dossier_id=answer_set.dossier_id, file_id=answer_set.file_id)
        if dossier_file is not None:
            filing.dossier_file_remove(dossier_file=dossier_file, user=user)
    answer_set.file_id = None
    answer_set.completed_at = None


@transaction.atomic
def answers_save_section(*, answer_set: AnswerSet, section_id: str, data, user, check: bool = True):
    """Save what was posted for one section exactly as typed, and return its problems (input name, message).
    The section counts as done only without problems; nothing typed is dropped either way. ``check=False`` saves
    without checking (adding or removing an item of a group, a condition changed)."""
    answer_set = (
        AnswerSet.objects.select_for_update().select_related("dossier", "definition").get(pk=answer_set.pk)
    )
    _check_draft(answer_set.dossier, user)
    definition = answer_set.definition.schema
    section = next((s for s in definition["sections"] if s["id"] == section_id), None)
    if section is None:
        raise EformError(_("Phần này không có trong tờ khai của bạn (tờ khai có thể đã được cập nhật)."))
    value = checks.read_section(section, data)
    if value != answer_set.answers.get(section_id):
        _reopen(answer_set, user)
    answer_set.answers = {**answer_set.answers, section_id: value}
    context = checks.plain_answers(answer_set.answers)
    problems = checks.section_problems(section, value, context, commune_codes()) if check else []
    done = [done_id for done_id in answer_set.sections_done if done_id != section_id]
    if check and not problems:
        done.append(section_id)
    answer_set.sections_done = done
    answer_set.search_text = answers_search_text(definition, answer_set.answers)
    answer_set.save()
    return answer_set, problems


@transaction.atomic
def repeat_item_change(
    *, answer_set: AnswerSet, section_id: str, data, user, remove: int | None = None
) -> AnswerSet:
    """Save a repeated group as typed, with one empty item added (``remove`` None) or item ``remove`` taken out."""
    answer_set, _problems = answers_save_section(
        answer_set=answer_set, section_id=section_id, data=data, user=user, check=False
    )
    section = next(s for s in answer_set.definition.schema["sections"] if s["id"] == section_id)
    items = list(answer_set.answers.get(section_id) or [])
    if remove is None:
        if len(items) >= section["repeat"]["max"]:
            raise EformError(_("Đã đủ số mục tối đa (%(n)d).") % {"n": section["repeat"]["max"]})
        items.append({field["id"]: checks.read_field(field, {}) for field in section["fields"]})
    elif 0 <= remove < len(items):
        items.pop(remove)
    answer_set.answers = {**answer_set.answers, section_id: items}
    answer_set.search_text = answers_search_text(answer_set.definition.schema, answer_set.answers)
    answer_set.save(update_fields=["answers", "search_text", "updated_at"])
    return answer_set


def declaration_population_prefill(*, answer_set: AnswerSet, user, expected_version: int) -> list[str]:
    """With the applicant's consent (this call), have the dossier look them up in the national population database
    (``dossiers.population``: by the personal id of their national sign-on, recorded on the dossier's
    ``PopulationCheck``, the draft's own fields filled too), then fill the declaration's empty fields from the
    record; what the applicant typed differently is kept (``registered_use(replace=True)`` replaces it). Returns the
    ids of the fields filled. ``PrefillRefused`` or ``ConcurrentChange`` when the record could not be had: nothing
    changes then and the applicant fills by hand."""
    dossier_population_prefill(dossier=answer_set.dossier, user=user, expected_version=expected_version)
    return registered_use(answer_set=answer_set, user=user, replace=False)


@transaction.atomic
def registered_use(*, answer_set: AnswerSet, user, replace: bool) -> list[str]:
    """Fill the declaration from the population record the dossier already holds (no new lookup): empty fields, or
    with ``replace`` every field that can hold a registered value. A section that was done and no longer passes
    its checks is done no more. Returns the ids of the fields changed."""
    answer_set = (
        AnswerSet.objects.select_for_update().select_related("dossier", "definition").get(pk=answer_set.pk)
    )
    _check_draft(answer_set.dossier, user)
    record = population_record(answer_set.dossier_id)
    if not record or record.get("personal_id") != user.personal_id:
        raise EformError(_("Hồ sơ chưa có thông tin từ CSDL quốc gia về dân cư."))
    schema = answer_set.definition.schema
    answers, changed = registered_apply(schema, answer_set.answers, record, replace=replace)
    if not changed:
        return []
    _reopen(answer_set, user)
    answer_set.answers = answers
    context, units = checks.plain_answers(answers), commune_codes()
    answer_set.sections_done = [
        section["id"]
        for section in schema["sections"]
        if section["id"] in answer_set.sections_done
        and not checks.section_problems(section, answers.get(section["id"]), context, units)
    ]
    answer_set.search_text = answers_search_text(schema, answers)
    answer_set.save()
    return changed


@transaction.atomic
def declaration_finish(*, answer_set: AnswerSet, user) -> dict[str, list[tuple[str, str]]]:
    """Check every shown section; when nothing is wrong, render the declaration as the official form's PDF and
    attach it to the dossier in the slot of the required document it replaces. Returns the problems per section
    (empty: finished and attached)."""
    from eforms.pdf import declaration_pdf

    answer_set = (
        AnswerSet.objects.select_for_update().select_related("dossier", "definition").get(pk=answer_set.pk)
    )
    _check_draft(answer_set.dossier, user)
    problems = checks.all_problems(answer_set.definition.schema, answer_set.answers, commune_codes())
    if problems:
        return problems
    _reopen(answer_set, user)
    content = declaration_pdf(answer_set)
    requirement = requirement_for(answer_set.dossier.procedure, answer_set.definition.schema)
    upload = SimpleUploadedFile("to-khai-dien-tu.pdf", content, content_type="application/pdf")
    stored = filing.dossier_file_add(
        dossier=answer_set.dossier,
        user=user,
        upload=upload,
        requirement_id=requirement.pk if requirement else None,
        label=answer_set.definition.title,
    )
    answer_set.file_id = stored.pk
    answer_set.completed_at = timezone.now()
    answer_set.save()
    return {}
