"""Cooperation's forms: networks, proposing and joining joint investigations, notes, enquiries'
answers, planning meetings, nominations, linking a record to a network. They only translate:
each rule is checked once, by the model or the service (issue 19)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from countries import access
from countries.models import Country
from operations.models import JointOperation, check_period

from . import policies
from .models import (
    Network,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _own_countries(user, *, focal=False):
    scope = access.scope_for(user)
    ids = scope.focal_country_ids if focal else scope.record_country_ids
    return Country.objects.filter(pk__in=ids).order_by("name")


class NetworkForm(forms.ModelForm):
    registered_by = forms.ModelChoiceField(queryset=Country.objects.none(),
                                           label=gettext_lazy("Registered by"))

    class Meta:
        model = Network
        fields = ["name", "aliases", "registered_by", "countries_active", "crime_types",
                  "sectors", "status", "modus_operandi"]
        widgets = {"countries_active": forms.CheckboxSelectMultiple,
                   "modus_operandi": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"aliases": gettext_lazy("Other names, separated by commas."),
                      "modus_operandi": gettext_lazy(
                          "How it works: routes, recruitment, documents. No names of victims.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_by"].queryset = _own_countries(user)
        self.fields["registered_by"].initial = self.fields["registered_by"].queryset.first()
        self.fields["countries_active"].queryset = Country.objects.order_by("name")


class ProposeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    network = forms.ModelChoiceField(queryset=Network.objects.none(),
                                     label=gettext_lazy("Network"))
    lead_country = forms.ModelChoiceField(queryset=Country.objects.none(),
                                          label=gettext_lazy("Lead country"))
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DATE)
    invited = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(), label=gettext_lazy("Countries invited"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each country's focal point accepts or declines."))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = policies.networks_visible(user, Network.objects.all())
        self.fields["lead_country"].queryset = _own_countries(user, focal=True)
        self.fields["lead_country"].initial = self.fields["lead_country"].queryset.first()
        self.fields["invited"].queryset = Country.objects.exclude(
            pk__in=access.scope_for(user).focal_country_ids).order_by("name")

    def clean(self):
        # The model's rule, here so that it shows with the form's other errors at once.
        data = super().clean()
        try:
            check_period(data.get("starts_on"), data.get("ends_on"))
        except ValidationError as error:
            self.add_error(None, error)
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("New note"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("Every member country reads it."))


class InviteForm(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.order_by("name"),
                                     label=gettext_lazy("Invite a country"))


class GiveForm(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.order_by("name"),
                                     label=gettext_lazy("Give this network to"))


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=gettext_lazy("Answered on"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    joint_operation = forms.ModelChoiceField(
        queryset=JointOperation.objects.order_by("-starts_on"),
        label=gettext_lazy("Next joint initiative"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DATE)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)


class NominationForm(forms.Form):
    proposing_country = forms.ModelChoiceField(queryset=Country.objects.none(),
                                               label=gettext_lazy("Nominated by"))
    network = forms.ModelChoiceField(queryset=Network.objects.none(),
                                     label=gettext_lazy("Network to investigate"))
    title = forms.CharField(label=gettext_lazy("Proposed investigation"), max_length=200)
    partners = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(), label=gettext_lazy("Partner countries"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each partner's focal point accepts or declines."))
    give_network = forms.BooleanField(
        label=gettext_lazy("Give the network to the partner countries, so that they can see it"),
        required=False, initial=True,
        help_text=gettext_lazy("Only the focal point of the country that registered it can."))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(user)
        own = Country.objects.filter(pk__in=scope.focal_country_ids).order_by("name")
        self.fields["proposing_country"].queryset = own
        self.fields["proposing_country"].initial = own.first()
        self.fields["network"].queryset = policies.networks_visible(user, Network.objects.all())
        self.fields["partners"].queryset = Country.objects.exclude(
            pk__in=scope.focal_country_ids).order_by("name")


class ConvertForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DATE, required=False,
                                help_text=gettext_lazy("Empty: the joint initiative's start."))
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DATE, required=False,
                              help_text=gettext_lazy("Empty: the joint initiative's end."))


class NetworkLinkForm(forms.Form):
    network = forms.ModelChoiceField(queryset=Network.objects.none(), required=False,
                                     label=gettext_lazy("Network"),
                                     empty_label=gettext_lazy("No network"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = policies.networks_visible(user, Network.objects.all())
