"""Forms of the screening area: a cohort's eligibility criteria, edited as a formset (one card per
criterion, rows added and removed on the page)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import Cohort, EligibilityCriterion
from ..services.screening import CRITERION_FIELDS, criterion_value_clean

FORMSET_PREFIX = "criteria"


class CriterionForm(forms.ModelForm):
    class Meta:
        model = EligibilityCriterion
        fields = CRITERION_FIELDS
        widgets = {
            "value": forms.TextInput(attrs={"autocomplete": "off"}),
            "order": forms.NumberInput(attrs={"min": 0, "max": 32767}),
        }
        help_texts = {
            "value": _(
                "Un nombre pour l'âge, le chiffre d'affaires ou les employé·es, une année pour l'année de création "
                "(« ≤ 2022 » : créée en 2022 ou avant) ; rien pour « est vrai » / « est faux » ; une ou plusieurs "
                "valeurs séparées par des virgules pour les listes (voir les valeurs autorisées en haut de la page)."
            ),
        }

    def __init__(self, *args, country=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country  # the programme's country of origin, whose regions a criterion may name
        self.fields["label_fr"].label = _("Libellé (français)")
        self.fields["label_fr"].required = True
        self.fields["label_en"].label = _("Libellé (anglais)")
        self.fields["label_en"].required = False

    def clean(self):
        cleaned = super().clean()
        field, operator = cleaned.get("field"), cleaned.get("operator")
        if field and operator and "value" not in self.errors:
            try:
                cleaned["value"] = criterion_value_clean(
                    field=field, operator=operator, value=cleaned.get("value", ""), country=self.country
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    @property
    def helper(self) -> FormHelper:
        # Built when rendered: the formset adds its DELETE checkbox after __init__.
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.render_hidden_fields = True
        last_row = [Column("order", css_class="col-6 col-md-2"), Column("is_active", css_class="col-6 col-md-3 pt-md-4")]
        if "DELETE" in self.fields:
            last_row.append(Column(Field("DELETE"), css_class="col-12 col-md-4 pt-md-4"))
        helper.layout = Layout(
            Row(
                Column("field", css_class="col-md-4"),
                Column("operator", css_class="col-md-3"),
                Column("value", css_class="col-md-5"),
            ),
            Row(Column("label_fr", css_class="col-md-6"), Column("label_en", css_class="col-md-6")),
            Row(*last_row),
        )
        return helper


class BaseCriterionFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer ce critère")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for number, form in enumerate(self.forms[: self.initial_form_count()], start=1):
            # A posted id that is not one of this cohort's criteria (tampered, or deleted meanwhile):
            # Django would quietly treat the row as new; refuse it instead.
            if form.instance.pk is None and not form.cleaned_data.get("DELETE"):
                raise ValidationError(
                    _("Le critère %(number)s n'existe plus ou n'appartient pas à cette cohorte : rechargez la page.")
                    % {"number": number},
                    code="foreign_criterion",
                )
        rules = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or not self._is_kept(form):
                continue
            rule = (form.cleaned_data["field"], form.cleaned_data["operator"], form.cleaned_data["value"])
            if rule in rules:
                raise ValidationError(
                    _("Le critère « %(label)s » est en double.")
                    % {"label": form.cleaned_data.get("label_fr") or form.cleaned_data.get("label_en")},
                    code="duplicate_criterion",
                )
            rules.add(rule)

    def _is_kept(self, form) -> bool:
        return form.instance.pk is not None or form.has_changed()

    def error_summary(self) -> list[str]:
        """Every error as one line naming the criterion and the input, for the preview panel."""
        lines = [str(error) for error in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                where = _("Critère %(number)s") % {"number": number}
                if name in form.fields:
                    where = f"{where} ({form.fields[name].label})"
                lines += [f"{where} : {error}" for error in errors]
        return lines

    def rows(self) -> list[dict]:
        """The criteria the staff member wants, in the form `criteria_replace` takes (call after is_valid)."""
        rows = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or not self._is_kept(form):
                continue
            row = {name: form.cleaned_data[name] for name in CRITERION_FIELDS}
            if form.instance.pk is not None:
                row["id"] = form.instance.pk
            rows.append(row)
        return rows


CriterionFormSet = inlineformset_factory(
    Cohort,
    EligibilityCriterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    fields=CRITERION_FIELDS,
    extra=1,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


def criteria_formset(*, cohort: Cohort, data=None) -> BaseCriterionFormSet:
    return CriterionFormSet(
        data=data, instance=cohort, prefix=FORMSET_PREFIX, form_kwargs={"country": cohort.programme.origin_country}
    )
