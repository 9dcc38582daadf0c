"""Pages of staff management: list, create, and one page per member of staff with their role, agencies and lock.

Deny by default: anyone who is not an admin gets 404 on every address here, and an admin asking for someone
outside their scope gets 404 too (``selectors.staff_get_in_scope``). Every change goes through one service in
``staff/services.py``, which checks the scope again and writes the audit event.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts import selectors
from portal.accounts.staff import services
from portal.accounts.staff.forms import StaffCreateForm, StaffFilterForm, StaffMembershipsForm, StaffRoleForm
from portal.audit import log as audit

PAGE_SIZE = 50


def staff_admin_required(view):
    """Signed-in admins only; the view receives their scope. Anyone else is told the page does not exist."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        scope = selectors.staff_scope_for(request.user)
        if scope is None:
            raise Http404("Trang dành cho quản trị")
        return view(request, scope, *args, **kwargs)

    return wrapped


@staff_admin_required
@require_http_methods(["GET", "HEAD"])
def staff_list(request: HttpRequest, scope: selectors.StaffScope) -> HttpResponse:
    filters = StaffFilterForm(request.GET or None, scope=scope)
    status = 200
    criteria = {}
    if filters.is_bound:
        if filters.is_valid():
            data = filters.cleaned_data
            criteria = {"agency": data["co_quan"], "role": data["vai_tro"], "query": data["q"].strip()}
        else:
            status = 400
    page = Paginator(selectors.staff_list_for(scope=scope, **criteria), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    context = {"filters": filters, "page": page, "scope": scope}
    return render(request, "accounts/staff/list.html", context, status=status)


@staff_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_create(request: HttpRequest, scope: selectors.StaffScope) -> HttpResponse:
    form = StaffCreateForm(request.POST if request.method == "POST" else None, scope=scope)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.staff_create(
                    request=request,
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    job_title=data["job_title"].strip(),
                    role=data["role"],
                    agencies=data["agencies"],
                )
            except services.AccountError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã tạo tài khoản %(username)s và gửi thư mời đặt mật khẩu đến %(email)s.")
                    % {"username": user.username, "email": user.email},
                )
                return redirect("accounts:staff_detail", pk=user.pk)
    return render(request, "accounts/staff/create.html", {"form": form, "scope": scope}, status=status)


def _detail_page(
    request: HttpRequest,
    scope: selectors.StaffScope,
    member,
    *,
    role_form: StaffRoleForm | None = None,
    memberships_form: StaffMembershipsForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    memberships = list(member.memberships.select_related("agency").order_by("agency__name"))
    in_scope = [m.agency for m in memberships if scope.everywhere or m.agency_id in scope.agency_ids]
    context = {
        "member": member,
        "scope": scope,
        "memberships": memberships,
        "is_self": member.pk == request.user.pk,
        "role_form": role_form or StaffRoleForm(scope=scope, initial={"role": member.role}),
        "memberships_form": memberships_form
        or StaffMembershipsForm(scope=scope, initial={"agencies": [a.code for a in in_scope]}),
        "error": error,
    }
    return render(request, "accounts/staff/detail.html", context, status=status)


@staff_admin_required
@require_http_methods(["GET", "HEAD"])
def staff_detail(request: HttpRequest, scope: selectors.StaffScope, pk: int) -> HttpResponse:
    return _detail_page(request, scope, selectors.staff_get_in_scope(scope=scope, pk=pk))


@require_POST
@staff_admin_required
def staff_role(request: HttpRequest, scope: selectors.StaffScope, pk: int) -> HttpResponse:
    member = selectors.staff_get_in_scope(scope=scope, pk=pk)
    form = StaffRoleForm(request.POST, scope=scope)
    if form.is_valid():
        try:
            changed = services.staff_role_change(
                request=request, actor=request.user, user=member, role=form.cleaned_data["role"]
            )
        except services.AccountError as error:
            return _detail_page(request, scope, member, role_form=form, error=error.message, status=400)
        if changed:
            messages.success(request, _("Đã đổi vai trò."))
        return redirect("accounts:staff_detail", pk=member.pk)
    return _detail_page(request, scope, member, role_form=form, status=400)


@require_POST
@staff_admin_required
def staff_memberships(request: HttpRequest, scope: selectors.StaffScope, pk: int) -> HttpResponse:
    member = selectors.staff_get_in_scope(scope=scope, pk=pk)
    form = StaffMembershipsForm(request.POST, scope=scope)
    if form.is_valid():
        try:
            added, removed = services.staff_memberships_set(
                request=request, actor=request.user, user=member, agencies=form.cleaned_data["agencies"]
            )
        except services.AccountError as error:
            return _detail_page(
                request, scope, member, memberships_form=form, error=error.message, status=400
            )
        if added or removed:
            messages.success(request, _("Đã cập nhật cơ quan công tác."))
        return redirect("accounts:staff_detail", pk=member.pk)
    return _detail_page(request, scope, member, memberships_form=form, status=400)


@require_POST
@staff_admin_required
def staff_deactivate(request: HttpRequest, scope: selectors.StaffScope, pk: int) -> HttpResponse:
    member = selectors.staff_get_in_scope(scope=scope, pk=pk)
    try:
        locked = services.staff_deactivate(request=request, actor=request.user, user=member)
    except services.AccountError as error:
        return _detail_page(request, scope, member, error=error.message, status=400)
    if locked:
        messages.success(request, _("Đã khóa tài khoản; các phiên đăng nhập của cán bộ này đã kết thúc."))
    return redirect("accounts:staff_detail", pk=member.pk)


class StaffActivateView(auth_views.PasswordResetConfirmView):
    """The link in the invitation: the new member of staff chooses their password, then signs in (and enrols their
    second factor). Django's reset-token checks: single use, expires after PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/staff/activate.html"
    reset_url_token = "dat-mat-khau"  # noqa: S105 (a URL segment, not a password)
    success_url = reverse_lazy("accounts:login")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        audit.password_changed(self.request, user, first=True)
        messages.success(self.request, _("Đã đặt mật khẩu. Mời bạn đăng nhập."))
        return response
