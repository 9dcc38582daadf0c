"""``/api/v1/faq/``: the answering service for the portal's chat, the national portal and departments' sites."""

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field as SchemaField

from faq import conf
from faq.services import MESSAGES, QuestionRefused, question_ask
from portal.catalog.questions import MAX_QUESTION_CHARS
from portal.http import client_address

router = Router(tags=["Hỏi đáp"])


class AskIn(Schema):
    question: str = SchemaField(
        ...,
        max_length=MAX_QUESTION_CHARS,
        description="Câu hỏi bằng tiếng Việt, có dấu hay không dấu, tối đa 2.000 ký tự.",
    )


class AnswerOut(Schema):
    id: str = SchemaField(description="faq-<số> (câu hỏi thường gặp) hoặc thu-tuc-<mã> (thủ tục)")
    question: str
    answer: str
    score: float
    procedure_codes: list[str]
    url: str = SchemaField(description="Trang của câu hỏi hoặc của thủ tục")
    file_url: str = SchemaField(description="Nơi nộp hồ sơ trực tuyến, nếu thủ tục cho phép; rỗng nếu không")


class AskOut(Schema):
    answered: bool
    answers: list[AnswerOut]
    message: str = SchemaField(description="Khi không trả lời: lý do, bằng tiếng Việt")
    feedback_url: str = SchemaField(description="Khi là phản ánh: nơi gửi phản ánh, kiến nghị")


class AskError(Schema):
    detail: str


@router.post(
    "/ask",
    response={200: AskOut, 400: AskError, 429: AskError},
    summary="Hỏi trợ lý: câu trả lời từ câu hỏi thường gặp và danh mục thủ tục",
)
def ask(request: HttpRequest, payload: AskIn):
    try:
        reply = question_ask(question=payload.question, address=client_address(request))
    except QuestionRefused as exc:
        return Status(exc.status, {"detail": exc.message})
    return {
        "answered": reply.answered,
        "answers": [a.__dict__ for a in reply.answers] if reply.answered else [],
        "message": "" if reply.answered else MESSAGES.get(reply.reason, MESSAGES["unknown"]),
        "feedback_url": conf.feedback_url() if reply.reason == "complaint" else "",
    }
