"""Pages that show what the records add up to."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from operations.selectors import joint_operation_current

from .selectors import headline_figures


@login_required
def home(request):
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
