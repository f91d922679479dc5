"""Forms of the review stage: the scoring form built from the cohort's rubric, the conflict-of-interest
declaration, and staff's assignment forms (one reviewer, or a balanced batch)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.bilingual import plain_text_in

from ..models import Application, Cohort, RubricCriterion
from ..services.review import REVIEWABLE_STATUSES

#: Names of the two buttons of the scoring form.
SAVE_DRAFT, SUBMIT_REVIEW = "save_draft", "submit_review"


def button(name: str, label, classes: str) -> Submit:
    """A submit button with exactly the given Bootstrap classes (crispy's Submit always adds btn-primary)."""
    submit = Submit(name, label)
    submit.field_classes = classes
    return submit


def criterion_label(criterion: RubricCriterion) -> str:
    return plain_text_in(criterion, "label")


class ReviewScoreForm(forms.Form):
    """One score (0..max) and one comment per criterion of the rubric, and an overall comment."""

    comment = forms.CharField(label=_("Commentaire général"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rubric: list[RubricCriterion], review, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "comment": review.comment,
                **{f"score_{s.criterion_id}": s.score for s in review.scores.all()},
                **{f"comment_{s.criterion_id}": s.comment for s in review.scores.all()},
            },
        )
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        # One entry per criterion, rendered by the page template itself (auto-escaped): the rubric's labels
        # and guidance are typed by staff, so they must never become crispy layout strings (crispy compiles
        # those as templates, and prints a Fieldset legend with |safe).
        self.criterion_fieldsets: list[dict] = []
        for criterion in rubric:
            score_name, comment_name = f"score_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[score_name] = forms.IntegerField(
                label=_("Note (0 à %(max)s)") % {"max": criterion.max_score},
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-auto"}),
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.criterion_fieldsets.append(
                {
                    "criterion": criterion,
                    "label": criterion_label(criterion),
                    "weight": _("pondération %(weight)s") % {"weight": number_format(criterion.weight.normalize())},
                    "guidance": criterion.guidance,
                    "score_name": score_name,
                    "comment_name": comment_name,
                }
            )
        # The page renders every field with |as_crispy_field and the two buttons, named after these.
        self.save_draft_name, self.submit_review_name = SAVE_DRAFT, SUBMIT_REVIEW

    def criterion_rows(self) -> list[dict]:
        """The criteria with their bound score and comment fields, for the template."""
        return [
            {**row, "score": self[row["score_name"]], "comment": self[row["comment_name"]]} for row in self.criterion_fieldsets
        ]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.rubric}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.rubric}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Nature du conflit d'intérêts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Par exemple : lien familial, relation d'affaires, ancien·ne employeur·e."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(button("declare", _("Déclarer le conflit"), "btn btn-danger"))


def reviewer_queryset():
    return User.objects.with_role(Role.REVIEWER).filter(is_active=True).distinct().order_by("last_name", "first_name", "pk")


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class ReviewersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.entrepreneur}" + (f" – {obj.company.name}" if obj.company else "")


class ReviewAssignForm(forms.Form):
    """Assign one reviewer to one application of the cohort."""

    application = ApplicationChoiceField(label=_("Candidature"), queryset=Application.objects.none())
    reviewer = ReviewerChoiceField(label=_("Évaluateur·rice"), queryset=User.objects.none())

    def __init__(self, *args, cohort: Cohort, listed: list[int] | None = None, **kwargs):
        """`listed`: offer only these applications (those of the board's page shown), so that the menu
        stays short in a large cohort; any reviewable application of the cohort is still accepted."""
        super().__init__(*args, **kwargs)
        applications = (
            Application.objects.filter(cohort=cohort, status__in=REVIEWABLE_STATUSES)
            .select_related("entrepreneur", "company")
            .order_by("entrepreneur__last_name", "pk")
        )
        self.fields["application"].queryset = applications if listed is None else applications.filter(pk__in=listed)
        self.fields["reviewer"].queryset = reviewer_queryset()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReviewAssignBalancedForm(forms.Form):
    """Spread the cohort's applications over the chosen reviewers, the least loaded first."""

    reviewers = ReviewersChoiceField(
        label=_("Évaluateur·rices"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    per_application = forms.IntegerField(label=_("Évaluations par candidature"), min_value=1, max_value=10)

    def __init__(self, *args, cohort: Cohort, **kwargs):
        kwargs.setdefault("initial", {"per_application": cohort.min_reviews})
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_queryset()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
