from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned, SchoolOwnedQuerySet


class AcademicYear(SchoolOwned):
    name = models.CharField(_("name"), max_length=20, help_text=_("For example, 2026/2027"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    is_archived = models.BooleanField(_("closed and archived"), default=False)

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="academicyear_end_after_start"),
            models.UniqueConstraint(fields=["school", "name"], name="academicyear_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(SchoolOwned):
    """A class of one year: «5А». The class teacher is set here (DESIGN §1)."""

    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(1), MaxValueValidator(11)])
    letter = models.CharField(_("letter"), max_length=8)
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
        verbose_name=_("class teacher"),
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade", "letter"], name="schoolclass_unique_name"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=11), name="schoolclass_grade_range"),
        ]

    def __str__(self) -> str:
        return f"{self.grade}{self.letter}"


class EnrollmentQuerySet(SchoolOwnedQuerySet):
    def on(self, day):
        """Enrollments in force on a date: a pupil who moved keeps their old rows, closed by `until`."""
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), since__lte=day)


class Enrollment(SchoolOwned):
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrollments")
    since = models.DateField(_("enrolled since"))
    until = models.DateField(_("enrolled until"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="enrollment_until_after_since"
            ),
        ]
        indexes = [models.Index(fields=["school_class", "since"]), models.Index(fields=["pupil", "since"])]

    def __str__(self) -> str:
        return f"{self.pupil} — {self.school_class}"
