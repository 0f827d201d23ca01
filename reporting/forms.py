"""Forms of the reporting pages: the country return's confirmation and reason, the exports."""
from django import forms
from django.utils.translation import gettext_lazy

from . import disclosure, exports, policies, statement
from .metrics import HEADLINE_METRICS
from .models import ExportJob


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
    # Asked for when the review warns (operations.review); the service decides if it is needed.
    warnings_reason = forms.CharField(
        label=gettext_lazy("Why the figures warned about are right"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The secretariat reads it when accepting the return."))


class ReturnReopenForm(forms.Form):
    # Not required here: the service owns the rule, and its error lands on this field.
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
        help_text=gettext_lazy("The country's focal point reads this. Say what needs to change."),
    )


class ExportForm(forms.Form):
    """What to export: joint operation, the region or one country, format, profile, rounding.

    The choices offered come from the access module; a choice the user may not make is refused
    with a message on its field.
    """

    joint_operation = forms.ChoiceField(label=gettext_lazy("Joint operation"))
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    # The workbook by default: every figure and breakdown of the debrief in one file.
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ExportJob.Format.choices,
                               initial=ExportJob.Format.XLSX, widget=forms.RadioSelect)
    profile = forms.ChoiceField(
        label=gettext_lazy("Profile"), choices=ExportJob.Profile.choices,
        initial=ExportJob.Profile.RESTRICTED, widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Public: figures below the joint operation's threshold, zero included, are shown as "
            "“<5”, and more are withheld (“*”) wherever a hidden one could be worked out. The "
            "region's and each country's public files print the same figures."))
    rounded = forms.MultipleChoiceField(
        label=gettext_lazy("Round down to “over N” in the statement"),
        choices=[(m.key, m.label) for m in HEADLINE_METRICS], required=False,
        initial=sorted(statement.ROUNDED_IN_2015), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("As the 2015 statement said “over 70” enquiries."),
    )

    def __init__(self, *args, user, joint_operations, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.joint_operations = {j.slug: j for j in joint_operations}
        self.countries = {c.code: c for c in countries}
        self.fields["joint_operation"].choices = [(j.slug, j.name) for j in joint_operations]
        region = [("", gettext_lazy("All countries (the region)"))] if policies.can_export(
            user, profile=ExportJob.Profile.RESTRICTED, country_id=None) else []
        self.fields["country"].choices = region + [
            (c.code, c.name) for c in countries
            if policies.can_export(user, profile=ExportJob.Profile.RESTRICTED, country_id=c.pk)]
        if not region:
            self.fields["country"].required = True
        public = ExportJob.Profile.PUBLIC
        if not any(policies.can_export(user, profile=public, country_id=country_id)
                   for country_id in [None, *(c.pk for c in countries)]):
            self.fields["profile"].choices = [  # the public profile is not theirs to choose
                (ExportJob.Profile.RESTRICTED, ExportJob.Profile.RESTRICTED.label)]

    def clean(self):
        data = super().clean()
        data["joint_operation"] = self.joint_operations.get(data.get("joint_operation"))
        data["country"] = self.countries.get(data.get("country") or "")
        if data["country"] and data["joint_operation"] and not data["joint_operation"].operations.filter(
                country=data["country"]).exists():
            self.add_error("country", gettext_lazy(
                "This country did not take part in the joint operation chosen."))
        profile = data.get("profile")
        if profile and "country" not in self.errors and not policies.can_export(
                self.user, profile=profile,
                country_id=data["country"].pk if data["country"] else None):
            self.add_error("profile", gettext_lazy(
                "You may not export this profile for the countries chosen. The public profile "
                "is for the co-chairs, the secretariat and a country's focal point."))
        if profile == ExportJob.Profile.PUBLIC and data["joint_operation"] and not self.errors:
            try:
                exports.release_of(data["joint_operation"]).check()
            except disclosure.UnsafeRelease as unsafe:
                self.add_error("profile", str(unsafe))
        return data
