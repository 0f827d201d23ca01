"""Forms of the operations pages: sharing, and entering each type of outcome record."""
import functools

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from countries import access
from countries.models import Agency, Country

from .plausibility import REASON_FIELD, hard_error, needs_reason
from .records import RecordKind


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


# ---------------------------------------------------------------------------------------------
# Outcome records
# ---------------------------------------------------------------------------------------------


@functools.cache
def nationality_choices() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (alpha-3 code, name): the suggestions for nationality."""
    return sorted(((c.alpha_3, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


class RecordForm(forms.ModelForm):
    """The fields an officer enters for one record type; parsing only (services validate).

    ``version`` is the record version the form was opened at: a save over a newer version
    is refused as a conflict.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, joint_operation, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = access.agencies_for_entry(
            user,
            Agency.objects.filter(
                country__operations__joint_operation=joint_operation
            ).select_related("country"),
        ).order_by("country__name", "name")
        agency = self.fields["agency"]
        agency.queryset = agencies
        agency.empty_label = _("Choose an agency")
        agency.label_from_instance = lambda a: f"{a.name} ({a.acronym})" if a.acronym else a.name
        if self.instance.pk is None and len(agencies) == 1:
            agency.initial = agencies[0].pk
        occurred_on = self.fields["occurred_on"]
        occurred_on.widget = forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": joint_operation.starts_on.isoformat(),
                   "max": joint_operation.ends_on.isoformat()},
        )
        occurred_on.help_text = _("Between %(start)s and %(end)s.") % {
            "start": date_format(joint_operation.starts_on, "DATE_FORMAT"),
            "end": date_format(joint_operation.ends_on, "DATE_FORMAT"),
        }
        if "counterpart" in self.fields:
            self.fields["counterpart"].queryset = Country.objects.order_by("name")
            self.fields["counterpart"].empty_label = _("Choose a country or organisation")
        if "answered_on" in self.fields:
            self.fields["answered_on"].widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            self.fields["answered_on"].help_text = _("Leave empty while the enquiry is unanswered.")
        if "nationality" in self.fields:
            self.fields["nationality"].widget.attrs.update(
                {"list": "nationalities", "autocapitalize": "characters", "maxlength": 3,
                 "pattern": "[A-Za-z]{3}"}
            )
        for name in ("network_summary", "modus_operandi"):
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = 3
        self._limits = self._kind_limits()
        for name, limit in self._limits.items():
            # One message per figure, the plausibility rule's (naming the field and its limit),
            # rather than the integer field's own range message as well.
            field = self.fields[name]
            field.min_value = field.max_value = None
            field.validators = [v for v in field.validators
                                if not isinstance(v, MinValueValidator | MaxValueValidator)]
            field.widget.attrs.update({"min": limit.minimum, "max": limit.hard})
            field.widget.attrs.pop("step", None)
        if REASON_FIELD in self.fields:
            # Shown once a figure needs it (or the record has one); carried along otherwise.
            self._reason_widget = self.fields[REASON_FIELD].widget
            if isinstance(self._reason_widget, forms.Textarea):
                self._reason_widget.attrs["rows"] = 2
            if not (self.instance.unusual_reason or self.data.get(self.add_prefix(REASON_FIELD))):
                self.fields[REASON_FIELD].widget = forms.HiddenInput()
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", _("Choose…") if field.required else _("Not recorded")),
                                 *field.choices[1:]]
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        self._joint_operation = joint_operation

    def _kind_limits(self):
        from .records import KINDS_BY_MODEL

        kind = KINDS_BY_MODEL.get(self._meta.model)
        return kind.figure_limits if kind is not None else {}

    def ask_reason(self) -> None:
        """Show the reason box: a figure is above its soft bound and needs one to be saved."""
        if REASON_FIELD in self.fields:
            self.fields[REASON_FIELD].widget = self._reason_widget
            self.fields[REASON_FIELD].help_text = _(
                "A figure is unusually large. If it is right, say why (how it was counted) "
                "and save again; the reason is kept with the record.")

    def clean(self):
        cleaned_data = super().clean()
        # The hard limits of the figures, checked again by the services (the same rule).
        for name, limit in self._limits.items():
            error = hard_error(limit, cleaned_data.get(name))
            if error is not None:
                self.add_error(name, error)
        return cleaned_data

    def clean_occurred_on(self):
        # Checked again by the services; here so every error shows at once, next to its field.
        occurred_on = self.cleaned_data["occurred_on"]
        period = self._joint_operation
        if not (period.starts_on <= occurred_on <= period.ends_on):
            raise ValidationError(
                _("The date must be between %(start)s and %(end)s, the joint operation's period.")
                % {"start": date_format(period.starts_on, "DATE_FORMAT"),
                   "end": date_format(period.ends_on, "DATE_FORMAT")},
                code="outside_period",
            )
        return occurred_on

    def clean_nationality(self):
        # Any letter case; the model's rule, here so that it shows with the other errors.
        nationality = (self.cleaned_data.get("nationality") or "").strip().upper()
        self._meta.model._meta.get_field("nationality").run_validators(nationality)
        return nationality

    def record_data(self) -> dict:
        """The entered values, as the record services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The services validate the record as a whole (with its operation and country);
        # validating a half-built instance here would only report the same errors twice.
        pass


_FORM_CLASSES: dict[str, type[RecordForm]] = {}


def record_form_class(kind: RecordKind) -> type[RecordForm]:
    if kind.slug not in _FORM_CLASSES:
        _FORM_CLASSES[kind.slug] = forms.modelform_factory(
            kind.model, form=RecordForm, fields=kind.entry_fields
        )
    return _FORM_CLASSES[kind.slug]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    if needs_reason(error) and hasattr(form, "ask_reason"):
        form.ask_reason()
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
