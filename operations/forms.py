"""Forms of the operations pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import Country


class RecordShareForm(forms.Form):
    shared_with = forms.ModelChoiceField(
        label=_("Share with"), queryset=Country.objects.none(), empty_label=_("Choose a country")
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        help_text=_("Why the other country needs this record; both countries see it."),
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = Country.objects.exclude(pk=record.country_id)
