"""What the systems of the stand-in share besides the server: counting calls and putting the fault plan on the wire.

``transport_fault(core, service, token)`` decides, from the plan in force, whether this call gets one of the
temporary faults (reset, timeout, 5xx, 429, an HTML page, a truncated JSON body) and returns that answer, or None.
``slow_delay`` is the extra delay a call gets when the "slow" fault fires.
"""

from __future__ import annotations

from integrations.standin.faults import TRANSPORT_FAULTS, FaultPlan
from integrations.standin.server import Response, json_response

HTML_ERROR = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


def transport_fault(core, service: str, token: str) -> Response | None:
    """The faulty answer this call gets under the plan in force, or None when it is answered normally."""
    plan: FaultPlan = core.plan
    if not plan.applies_to(service):
        return None
    for name in TRANSPORT_FAULTS:
        if plan.fires(name, token):
            core.count_fault(name)
            return fault_response(name, plan)
    return None


def slow_delay(core, service: str, token: str) -> float:
    plan: FaultPlan = core.plan
    if plan.applies_to(service) and plan.fires("slow", token):
        core.count_fault("slow")
        return plan.slow_seconds
    return 0.0


def fires(core, name: str, service: str, token: str) -> bool:
    """Whether a system-specific fault (``session_expired``, ``invalid``, ``duplicate``) fires for this call."""
    plan: FaultPlan = core.plan
    if plan.applies_to(service) and plan.fires(name, token):
        core.count_fault(name)
        return True
    return False


def fault_response(name: str, plan: FaultPlan) -> Response:
    if name == "reset":
        return Response(drop=True)
    if name == "timeout":
        return Response(drop=True, delay=plan.timeout_seconds)
    if name == "error":
        return json_response({"message": "Service Unavailable"}, status=plan.error_status)
    if name == "rate_limit":
        return json_response({"message": "Too Many Requests"}, status=429, headers={"Retry-After": "1"})
    if name == "html":
        return Response(body=HTML_ERROR, content_type="text/html; charset=utf-8")
    return Response(body=b'{"error_code": 0, "message": "Th\xc3\xa0nh c\xc3\xb4ng", "data": {')


def refusal(code: int, field: str, message: str, status: int = 200) -> Response:
    """A system's refusal as the stand-ins answer it: its error code, the field at fault and why."""
    return json_response({"error_code": code, "field": field, "message": message}, status=status)


def api_key_guard(system, request, service: str) -> Response | None:
    """Count the call, inject the transport fault the plan decides for it, then refuse a missing or unknown
    ``X-Api-Key`` (``system.keys`` empty: any non-empty key is accepted). None when the call may proceed."""
    with system.lock:
        system.calls += 1
        token = f"{service}|#{system.calls}"
    fault = transport_fault(system.standin, service, token)
    if fault is not None:
        return fault
    key = request.headers.get("x-api-key", "")
    if not key or (system.keys and key not in system.keys):
        return refusal(100, "X-Api-Key", "Khóa truy cập không hợp lệ", status=401)
    return None
