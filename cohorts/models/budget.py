"""The programme's budget: budget lines by year and category, and expenses in EUR or XOF, converted by the database."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .programmes import Cohort, Currency, Programme, to_eur, to_eur_expression


class BudgetCategory(models.TextChoices):
    HUMAN_RESOURCES = "hr", _("Ressources humaines")
    BUSINESS_SUPPORT = "support", _("Accompagnement des entreprises")
    MOBILITY = "mobility", _("Mobilités (voyages, visas, séjours)")
    INCUBATORS = "incubators", _("Incubateurs et sous-projets")
    EQUIPMENT = "equipment", _("Équipement")
    OPERATIONS = "operations", _("Fonctionnement")
    MONITORING = "monitoring", _("Suivi-évaluation")
    OTHER = "other", _("Autre")


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"))
    category = models.CharField(_("catégorie"), max_length=16, choices=BudgetCategory.choices)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant prévu"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["programme", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "category", "label"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_line_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.label}"

    @property
    def amount_eur(self) -> Decimal:
        return to_eur(self.amount, self.currency)


class Expense(models.Model):
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("ligne budgétaire"), on_delete=models.PROTECT, related_name="expenses"
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    # Computed by the database from the amount and currency, whoever writes the row (admin, demo, import).
    amount_eur = models.GeneratedField(
        expression=to_eur_expression(),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("montant (EUR)"),
        help_text=_("Converti à la parité fixe 1 EUR = 655,957 FCFA."),
    )
    description = models.CharField(_("objet"), max_length=250)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohorte"), on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses"
    )

    class Meta:
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")
        ordering = ["-spent_on"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-spent_on", "-id"], name="expense_list_order")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} – {self.description}"


__all__ = ["BudgetCategory", "BudgetLine", "Expense"]
