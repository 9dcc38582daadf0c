"""Is a draft complete? Which required documents (thành phần hồ sơ) still have no file.

The national catalogue lists each procedure's documents, often grouped under a heading ("* Giấy tờ phải nộp:",
"Trường hợp ủy quyền…:", "* Lưu ý:"), and says in the names themselves when a document applies only to some
applicants ("Trường hợp…", "(nếu có)", "… trong trường hợp ủy quyền"). Nothing in the data says "required", so it
is read from those words, in one place (``document_required``):

- documents under a note heading ("Lưu ý") are notes, and those under "phải xuất trình" are shown at the counter,
  not uploaded: neither is required online;
- a document whose own words make it conditional is not required;
- a group whose heading is a condition ("Trường hợp…", "Đối với…") applies once the applicant attaches a file to one
  of its documents; if every required document sits in such groups and none applies yet, the applicant is asked to
  choose their case.

Where the words mislead, an administrator lists the required documents of a procedure in its filing rule
(``ProcedureFilingRule.required_documents``), which then replaces the reading. The filing rule also says whether a
dossier may be submitted with documents missing (to be completed at reception); by default it may not.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers.models import Dossier, DossierFile, ProcedureFilingRule
from portal.catalog.models import RequiredDocument

# Headings whose documents are not uploaded: notes, and papers shown at the counter.
NOT_UPLOADED_HEADINGS = ("lưu ý", "xuất trình")
# Words that make a heading or a document a condition: "Trường hợp…", "Đối với…", "Nếu…", "(nếu có)".
CONDITION_START = re.compile(r"^[\s\-+*•.()0-9]*(trường hợp|đối với|nếu|khi)\b", re.IGNORECASE)
CONDITION_ANYWHERE = ("nếu có", "(nếu", "trong trường hợp")


def _conditional(text: str) -> bool:
    lowered = text.lower()
    return bool(CONDITION_START.match(lowered)) or any(words in lowered for words in CONDITION_ANYWHERE)


def document_required(document: RequiredDocument) -> bool:
    """Whether the catalogue's words make ``document`` required (within its group, if the group applies)."""
    heading = document.case.lower()
    if any(words in heading for words in NOT_UPLOADED_HEADINGS):
        return False
    # A paper to show at the counter ("xuất trình") is not uploaded online.
    return not _conditional(document.name) and "xuất trình" not in document.name.lower()


def group_conditional(document: RequiredDocument) -> bool:
    return bool(document.case) and _conditional(document.case)


@dataclass
class Completeness:
    required: list[RequiredDocument] = field(default_factory=list)
    missing: list[RequiredDocument] = field(default_factory=list)
    case_to_choose: bool = False  # every required document is in a conditional group, and none applies yet
    incomplete_allowed: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing and not self.case_to_choose

    def missing_names(self) -> list[str]:
        return [document.name for document in self.missing]

    def summary(self) -> str:
        """ "Còn thiếu 1 trong 2 giấy tờ bắt buộc." (and the case to choose, if any)."""
        parts = []
        if self.missing:
            parts.append(
                ngettext(
                    "Còn thiếu %(missing)d trong %(required)d giấy tờ bắt buộc.",
                    "Còn thiếu %(missing)d trong %(required)d giấy tờ bắt buộc.",
                    len(self.required),
                )
                % {"missing": len(self.missing), "required": len(self.required)}
            )
        if self.case_to_choose:
            parts.append(
                _("Thủ tục có nhiều trường hợp: hãy tải lên giấy tờ của trường hợp áp dụng cho bạn.")
            )
        return " ".join(parts)


def dossier_completeness(dossier: Dossier) -> Completeness:
    """The required documents of the applicant's case and those with no file yet (three small queries)."""
    documents = list(dossier.procedure.documents.all())
    attached = set(
        dossier.files.exclude(kind=DossierFile.Kind.FORM)
        .exclude(requirement__isnull=True)
        .values_list("requirement_id", flat=True)
    )
    rule = ProcedureFilingRule.objects.filter(procedure_id=dossier.procedure_id).first()
    listed = set(rule.required_documents.values_list("pk", flat=True)) if rule else set()
    if listed:
        candidates = [document for document in documents if document.pk in listed]
    else:
        candidates = [document for document in documents if document_required(document)]
    chosen = {
        document.case for document in documents if group_conditional(document) and document.pk in attached
    }
    required = [d for d in candidates if not group_conditional(d) or d.case in chosen]
    in_groups = [d for d in candidates if group_conditional(d)]
    return Completeness(
        required=required,
        missing=[document for document in required if document.pk not in attached],
        case_to_choose=bool(in_groups) and len(in_groups) == len(candidates) and not chosen,
        incomplete_allowed=bool(rule and rule.incomplete_allowed),
    )
