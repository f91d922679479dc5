"""Forms of the DAC evaluation (Bootstrap 5 through crispy). They validate; the services in
`reporting/services/evaluation.py` write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.bilingual import text_pair
from partners.models import Organisation, OrganisationKind

from ..models import (
    Conclusion,
    DacCriterion,
    DataSource,
    Evaluation,
    EvaluationQuestion,
    Grade,
    Indicator,
    Lesson,
    ManagementResponse,
    Recommendation,
    RecommendationLevel,
    ResponseDecision,
)
from ..services.evaluation import OBJECTIVES, management_response_errors


def _helper(*rows) -> FormHelper:
    """The form tag and the buttons are in the template: crispy draws the fields only."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if rows:
        helper.layout = Layout(*rows)
    return helper


def _pair(first: str, second: str) -> Div:
    return Div(Div(Field(first), css_class="col-sm-6"), Div(Field(second), css_class="col-sm-6"), css_class="row")


def _languages(field: str) -> Div:
    """A text people write, French and English side by side (stacked on a phone)."""
    return Div(Div(Field(f"{field}_fr"), css_class="col-lg-6"), Div(Field(f"{field}_en"), css_class="col-lg-6"), css_class="row")


def _label_languages(form, field: str, label, *, required: bool) -> None:
    """Label each language's field after the model field, with its language; French required when the text is."""
    form.fields[f"{field}_fr"].label = _("%(label)s (français)") % {"label": label}
    form.fields[f"{field}_en"].label = _("%(label)s (anglais)") % {"label": label}
    form.fields[f"{field}_fr"].required = required
    form.fields[f"{field}_en"].required = False


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OrderedForm(forms.ModelForm):
    """Forms of rows shown in an order: the order may be left empty (0, then by code)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Facultatif : position dans la liste ; à défaut, l'ordre des codes.")

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "title_fr", "title_en", "evaluator", "period_start", "period_end", "field_mission_start", "field_mission_end",
            "report_date", "summary_fr", "summary_en", "methodology_fr", "methodology_en",
        ]  # fmt: skip
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "field_mission_start": DateInput(),
            "field_mission_end": DateInput(),
            "report_date": DateInput(),
            "summary_fr": forms.Textarea(attrs={"rows": 5}),
            "summary_en": forms.Textarea(attrs={"rows": 5}),
            "methodology_fr": forms.Textarea(attrs={"rows": 4}),
            "methodology_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluators are research or consulting bodies; the current one stays selectable whatever its kind.
        organisations = Organisation.objects.filter(kind__in=[OrganisationKind.RESEARCH, OrganisationKind.OTHER])
        if self.instance.evaluator_id:
            organisations = organisations | Organisation.objects.filter(pk=self.instance.evaluator_id)
        self.fields["evaluator"].queryset = organisations.order_by("name")
        _label_languages(self, "title", _("Intitulé"), required=True)
        _label_languages(self, "summary", _("Résumé"), required=False)
        _label_languages(self, "methodology", _("Méthodologie"), required=False)
        self.helper = _helper(
            _languages("title"),
            "evaluator",
            _pair("period_start", "period_end"),
            _pair("field_mission_start", "field_mission_end"),
            "report_date",
            _languages("summary"),
            _languages("methodology"),
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for field in ("title", "summary", "methodology"):
            data[field] = text_pair(data, field)
            del data[f"{field}_fr"], data[f"{field}_en"]
        return data

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période évaluée précède son début."))
        start, end = data.get("field_mission_start"), data.get("field_mission_end")
        if start and end and end < start:
            self.add_error("field_mission_end", _("La fin de la mission de terrain précède son début."))
        return data


class CriterionGradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Note"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une note de A à D."),
            "invalid_choice": _("La note doit être A, B, C ou D."),
        },
    )
    findings_fr = forms.CharField(label=_("Constats (français)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    findings_en = forms.CharField(label=_("Constats (anglais)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = ["grade", _languages("findings")]
        for objective in OBJECTIVES:
            for language, label in (
                ("fr", _("Constats pour %(objective)s (français)")),
                ("en", _("Constats pour %(objective)s (anglais)")),
            ):
                self.fields[f"findings_{objective}_{language}"] = forms.CharField(
                    label=label % {"objective": objective},
                    required=False,
                    help_text=_("Facultatif : à remplir quand l'évaluation distingue les objectifs spécifiques."),
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            rows.append(_languages(f"findings_{objective}"))
        self.helper = _helper(*rows)

    @staticmethod
    def initial_for(grade) -> dict:
        if grade is None:
            return {}
        initial = {"grade": grade.grade, "findings_fr": grade.findings_fr, "findings_en": grade.findings_en}
        for finding in grade.objective_findings.all():
            initial[f"findings_{finding.objective}_fr"] = finding.text_fr
            initial[f"findings_{finding.objective}_en"] = finding.text_en
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "grade": data["grade"],
            "findings": text_pair(data, "findings"),
            "objective_findings": {objective: text_pair(data, f"findings_{objective}") for objective in OBJECTIVES},
        }


class QuestionForm(OrderedForm):
    criteria = forms.MultipleChoiceField(
        label=_("Critères CAD liés"), choices=DacCriterion.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sources = forms.MultipleChoiceField(
        label=_("Sources de données"), choices=DataSource.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicateurs"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les indicateurs du programme qui éclairent cette question."),
    )

    class Meta:
        model = EvaluationQuestion
        fields = [
            "code",
            "parent",
            "question_fr",
            "question_en",
            "answer_fr",
            "answer_en",
            "criteria",
            "sources",
            "indicators",
            "order",
        ]
        widgets = {
            "question_fr": forms.Textarea(attrs={"rows": 3}),
            "question_en": forms.Textarea(attrs={"rows": 3}),
            "answer_fr": forms.Textarea(attrs={"rows": 6}),
            "answer_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"code": _("Par exemple QE3 ou QE3.1.")}

    #: The service calls the question's wording `text` and the model `question`.
    service_field_names = {"text": "question"}

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        parents = evaluation.questions.filter(parent=None)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("order", "code")
        self.fields["parent"].empty_label = _("— aucune (question principale) —")
        self.fields["indicators"].queryset = Indicator.objects.filter(programme=evaluation.programme_id).order_by("order", "code")
        _label_languages(self, "question", _("Question"), required=True)
        _label_languages(self, "answer", _("Réponse"), required=False)
        self.helper = _helper(
            _pair("code", "order"), "parent", _languages("question"), _languages("answer"), "criteria", "sources", "indicators"
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "text": text_pair(data, "question"),
            "answer": text_pair(data, "answer"),
            "parent": data["parent"],
            "criteria": data["criteria"],
            "sources": data["sources"],
            "indicators": data["indicators"],
            "order": data["order"],
        }


class CodedTextForm(OrderedForm):
    """Conclusions and lessons: a code (C1, L1…), a title, a text, an order."""

    class Meta:
        fields = ["code", "title_fr", "title_en", "text_fr", "text_en", "order"]
        widgets = {"text_fr": forms.Textarea(attrs={"rows": 6}), "text_en": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self, "title", _("Intitulé"), required=True)
        _label_languages(self, "text", _("Texte"), required=False)
        self.helper = _helper(_pair("code", "order"), _languages("title"), _languages("text"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"code": data["code"], "title": text_pair(data, "title"), "text": text_pair(data, "text"), "order": data["order"]}


class ConclusionForm(CodedTextForm):
    class Meta(CodedTextForm.Meta):
        model = Conclusion
        help_texts = {"code": _("Par exemple C1.")}


class LessonForm(CodedTextForm):
    class Meta(CodedTextForm.Meta):
        model = Lesson
        help_texts = {"code": _("Par exemple L1.")}


class RecommendationForm(OrderedForm):
    levels = forms.TypedMultipleChoiceField(
        label=_("Niveaux"),
        choices=RecommendationLevel.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins un niveau (1 à 4)."),
            "invalid_choice": _("Les niveaux vont de 1 à 4."),
        },
    )
    conclusions = forms.ModelMultipleChoiceField(
        label=_("Conclusions liées"),
        queryset=Conclusion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choisissez des conclusions de cette évaluation.")},
    )

    class Meta:
        model = Recommendation
        fields = [
            "code", "title_fr", "title_en", "text_fr", "text_en", "conclusions", "targeted_actors_fr", "targeted_actors_en",
            "levels", "priority", "type", "order",
        ]  # fmt: skip
        widgets = {"text_fr": forms.Textarea(attrs={"rows": 6}), "text_en": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "code": _("Par exemple R1."),
            "targeted_actors_fr": _("Par exemple : Enabel, DGD, ministère des Finances (DCEF)."),
        }

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusions"].queryset = evaluation.conclusions.order_by("order", "code")
        _label_languages(self, "title", _("Intitulé"), required=True)
        _label_languages(self, "text", _("Texte"), required=False)
        _label_languages(self, "targeted_actors", _("Acteurs ciblés"), required=False)
        self.helper = _helper(
            _pair("code", "order"),
            _languages("title"),
            _languages("text"),
            "conclusions",
            _languages("targeted_actors"),
            "levels",
            _pair("priority", "type"),
        )

    def _post_clean(self):
        # Recommendation.clean() checks the levels again: skip it rather than repeat the field's error.
        if "levels" in self.errors:
            return
        super()._post_clean()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "title": text_pair(data, "title"),
            "text": text_pair(data, "text"),
            "conclusions": data["conclusions"],
            "targeted_actors": text_pair(data, "targeted_actors"),
            "levels": data["levels"],
            "priority": data["priority"],
            "type": data["type"],
            "order": data["order"],
        }


class ManagementResponseForm(forms.ModelForm):
    class Meta:
        model = ManagementResponse
        fields = ["decision", "action_fr", "action_en", "owner", "deadline", "status"]
        widgets = {
            "action_fr": forms.Textarea(attrs={"rows": 4}),
            "action_en": forms.Textarea(attrs={"rows": 4}),
            "deadline": DateInput(),
            "decision": forms.RadioSelect,
        }
        help_texts = {"deadline": _("Obligatoire, sauf si la recommandation est rejetée.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = ResponseDecision.choices  # no empty choice beside the radios
        _label_languages(self, "action", _("Action prévue"), required=False)
        self.helper = _helper("decision", _languages("action"), _pair("owner", "deadline"), "status")

    def clean(self):
        data = super().clean()
        if {"decision", "status"} <= set(data):
            errors = management_response_errors(
                decision=data["decision"], action=text_pair(data, "action"), deadline=data.get("deadline"), status=data["status"]
            )
            for name, message in errors.items():
                name = "action_fr" if name == "action" else name
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {**{name: data[name] for name in ("decision", "owner", "deadline", "status")}, "action": text_pair(data, "action")}
