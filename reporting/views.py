"""Pages that show what the records add up to."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from countries import access
from operations.selectors import joint_operation_current

from .selectors import headline_figures


@login_required
@require_safe
def home(request):
    if not access.can_view_regional_totals(request.user):
        # Fail closed: an account nobody has given a role yet sees no figures at all.
        return render(request, "reporting/no_membership.html")
    joint_operation = joint_operation_current()
    figures = headline_figures(joint_operation=joint_operation) if joint_operation else []
    participations = list(joint_operation.participations.all()) if joint_operation else []
    return render(
        request,
        "reporting/home.html",
        {
            "joint_operation": joint_operation,
            "figures": figures,
            "operating": [p for p in participations if p.status == p.Status.TOOK_PART],
            "participations": participations,
            "co_chairs": list(joint_operation.co_chairs.all()) if joint_operation else [],
        },
    )
