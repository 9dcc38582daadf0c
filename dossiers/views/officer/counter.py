"""Registration at the counter: a dossier brought in person or by post, entered from its papers and scans."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dossiers import filing
from dossiers.errors import DossierError
from dossiers.forms.counter import CounterRegistrationForm
from dossiers.queues import Clock
from dossiers.selectors import receiving_agencies_of
from dossiers.views.officer.common import officer_required, queue_nav
from portal.accounts.models import User


@require_http_methods(["GET", "HEAD", "POST"])
@officer_required
def counter_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != User.Role.ONESTOP_OFFICER or not receiving_agencies_of(user).exists():
        return _page(
            request, None, status=403, error=_("Chỉ cán bộ một cửa của cơ quan tiếp nhận được đăng ký hồ sơ.")
        )
    if request.method == "POST":
        form = CounterRegistrationForm(request.POST, request.FILES, officer=user)
        if not form.is_valid():
            return _page(request, form, status=400, error=_("Vui lòng kiểm tra lại thông tin."))
        data = form.cleaned_data
        try:
            dossier = filing.dossier_register_at_counter(
                officer=user,
                procedure=data["procedure"],
                receiving_agency=data["receiving_agency"],
                applicant=data["applicant_username"],
                uploads=[("", upload) for upload in data["scans"]],
                channel=data["channel"],
                **form.details(),
            )
        except DossierError as error:
            return _page(request, form, status=400, error=error.message)
        messages.success(
            request,
            _("Đã đăng ký hồ sơ %(code)s. Kiểm tra và tiếp nhận hồ sơ bên dưới.") % {"code": dossier.code},
        )
        return redirect("dossiers:officer_dossier", pk=dossier.pk)
    query = request.GET.get("q", "")[:200].strip()
    form = CounterRegistrationForm(officer=user, query=query)
    if query:
        matches = list(form.fields["procedure"].queryset[:2])
        if len(matches) == 1:
            form.initial["procedure"] = matches[0].pk
    return _page(request, form, query=query)


def _page(request, form, *, status=200, error="", query="") -> HttpResponse:
    context = {**queue_nav(request, Clock.at()), "form": form, "error": error, "query": query}
    return render(request, "dossiers/officer/counter.html", context, status=status)
