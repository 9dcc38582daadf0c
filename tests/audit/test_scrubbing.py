"""Personal id numbers (12 digits) never reach the audit table or a log line, whatever path they take."""

import logging

import pytest

from portal.audit import log
from portal.audit.models import AuditEvent
from portal.audit.scrub import DIGIT_RUN, MASK, PersonalIdLogFilter, scrub

pytestmark = pytest.mark.django_db

PERSONAL_ID = "079301234567"


def _everything_stored() -> str:
    return " ".join(f"{e.username} {e.details} {e.request_id}" for e in AuditEvent.objects.all())


def test_scrub_masks_twelve_digit_runs_and_personal_id_fields_at_any_depth():
    cleaned = scrub(
        {
            "note": f"CCCD {PERSONAL_ID} đã xác minh",
            "personal_id": "abc",  # a field that holds an id, whatever its value looks like
            "claims": {"SoDinhDanh": 79301234567, "HoVaTen": "Lan", "list": [PERSONAL_ID, 12, 123456789012]},
            "glued": f"x{PERSONAL_ID}99",
            PERSONAL_ID: "a key too",
        }
    )

    assert PERSONAL_ID not in str(cleaned)
    assert cleaned["note"] == f"CCCD {MASK} đã xác minh"
    assert cleaned["personal_id"] == MASK
    assert cleaned["claims"] == {"SoDinhDanh": MASK, "HoVaTen": "Lan", "list": [MASK, 12, MASK]}
    assert cleaned["glued"] == f"x{MASK}"
    assert cleaned[MASK] == "a key too"


def test_scrub_keeps_details_small():
    cleaned = scrub({"long": "a" * 10_000, "many": list(range(1000)), "deep": {"a": {"b": {"c": {"d": 1}}}}})

    assert len(cleaned["long"]) == 300
    assert len(cleaned["many"]) == 50
    assert cleaned["deep"] == {"a": {"b": {"c": "…"}}}


def test_a_personal_id_typed_as_username_is_masked_in_the_table_and_the_log(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post("/quan-tri/login/", {"username": PERSONAL_ID, "password": "sai"})

    assert response.status_code == 200
    entry = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_IN_FAILED)
    assert entry.username == MASK
    assert PERSONAL_ID not in _everything_stored()
    assert caplog.records and PERSONAL_ID not in caplog.text


def test_event_details_never_keep_a_personal_id(rf, make_user, caplog):
    user = make_user("lan", personal_id=PERSONAL_ID)

    with caplog.at_level(logging.INFO, logger="portal.audit"):
        log.record(
            AuditEvent.Event.PASSWORD_RESET,
            rf.get("/"),
            user=user,
            personal_id=user.personal_id,
            note=f"yêu cầu của {user.personal_id}",
        )

    assert PERSONAL_ID not in _everything_stored()
    assert "portal.audit" in caplog.text and PERSONAL_ID not in caplog.text


def test_every_log_record_is_masked_by_the_configured_filter(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("django.request").warning("Not Found: /ho-so/tra-cuu/?id=%s", PERSONAL_ID)
        logging.getLogger("some.library").info("user %(id)s", {"id": int(PERSONAL_ID)})
        try:
            raise ValueError(f"bad id {PERSONAL_ID}")
        except ValueError:
            logging.getLogger("dossiers").exception("failed")

    assert len(caplog.records) == 3
    assert PERSONAL_ID not in caplog.text
    assert MASK in caplog.text


def test_the_filter_is_on_every_configured_handler():
    handlers = logging.getLogger().handlers
    configured = [h for h in handlers if h.get_name() == "console"]
    assert configured
    for handler in configured:
        assert any(isinstance(f, PersonalIdLogFilter) for f in handler.filters)


def test_the_filter_leaves_other_records_as_they_are():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "dossier %s took %d ms", ("H01-250101-0001", 12), None
    )

    assert PersonalIdLogFilter().filter(record) is True
    assert (record.msg, record.args) == ("dossier %s took %d ms", ("H01-250101-0001", 12))


def test_a_record_whose_arguments_do_not_fit_its_message_is_still_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, f"id {PERSONAL_ID} %s %s", ("one",), None)

    PersonalIdLogFilter().filter(record)

    assert PERSONAL_ID not in record.getMessage()


def _masks(logger: logging.Logger, handler: logging.Handler) -> bool:
    return any(isinstance(f, PersonalIdLogFilter) for f in [*logger.filters, *handler.filters])


def test_no_logger_writes_through_a_handler_without_the_filter():
    """Django's own defaults (the ``django`` logger's console and mail handlers, ``django.server``'s request lines)
    would write a record before the root handler masks it."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    unmasked = [
        (logger.name, type(handler).__name__)
        for logger in loggers
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if not isinstance(handler, logging.NullHandler)
        and not type(handler).__module__.startswith("_pytest")  # the test run's own capture
        and not _masks(logger, handler)
    ]
    assert unmasked == []


def test_a_request_with_a_personal_id_in_its_address_logs_no_twelve_digit_number(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get(f"/thu-tuc/{PERSONAL_ID}/?q={PERSONAL_ID}")

    assert response.status_code == 404
    assert any(r.name == "django.request" for r in caplog.records)
    assert not DIGIT_RUN.search(caplog.text)
    assert not any(DIGIT_RUN.search(r.getMessage()) for r in caplog.records)


def test_gunicorns_access_and_error_lines_are_masked(tmp_path):
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from portal.gunicorn_conf import PersonalIdMaskingLogger, logger_class

    assert logger_class is PersonalIdMaskingLogger
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(q)s')
    logger = PersonalIdMaskingLogger(config)
    logger.setup(config)  # a reload must not stack a second filter
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/thu-tuc/?q={PERSONAL_ID}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/thu-tuc/",
        "QUERY_STRING": f"q={PERSONAL_ID}",
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_REFERER": f"https://dichvucong.example/?cccd={PERSONAL_ID}",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    try:
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
        logger.error("Error handling request /thu-tuc/?q=%s", PERSONAL_ID)
    finally:
        for handler in [*logger.access_log.handlers, *logger.error_log.handlers]:
            handler.flush()
    access = (tmp_path / "access.log").read_text()
    error = (tmp_path / "error.log").read_text()
    assert f'"GET /thu-tuc/?q={MASK} HTTP/1.1" 200' in access and f"cccd={MASK}" in access
    assert f"/thu-tuc/?q={MASK}" in error
    assert not DIGIT_RUN.search(access + error)
    assert sum(isinstance(f, PersonalIdLogFilter) for f in logger.access_log.filters) == 1


def test_the_handler_celery_gives_its_task_logger_masks_personal_ids():
    from portal.celery import app

    task_logger = logging.getLogger("celery.task")
    saved = task_logger.handlers[:], task_logger.propagate, task_logger.level
    try:
        app.log.setup_task_loggers()
        handlers = [h for h in task_logger.handlers if not isinstance(h, logging.NullHandler)]
        assert handlers and all(_masks(task_logger, h) for h in handlers)
    finally:
        task_logger.handlers, task_logger.propagate, task_logger.level = saved
