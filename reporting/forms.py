"""Forms of the country return page: the focal point's confirmation, the secretariat's reason."""
from django import forms
from django.utils.translation import gettext_lazy


class ReturnSubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked these figures"),
        help_text=gettext_lazy(
            "Once submitted, your country's records are locked until the secretariat reopens "
            "the return."
        ),
        error_messages={"required": gettext_lazy(
            "Tick the box to confirm that you have checked these figures."
        )},
    )


class ReturnReopenForm(forms.Form):
    # Not required here: the service owns the rule, and its error lands on this field.
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
        help_text=gettext_lazy("The country's focal point reads this. Say what needs to change."),
    )
