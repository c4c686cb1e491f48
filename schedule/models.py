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
    closing_order = models.CharField(
        _("director's order closing the year"), max_length=300, blank=True, help_text=_("For example, № 123 of 31.08")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

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


class StudyPeriod(SchoolOwned):
    """A reporting period: a quarter, a trimester or a half-year, for a range of grades (R-B01)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("quarter")
        TRIMESTER = "trimester", _("trimester")
        HALF = "half", _("half-year")

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    grade_from = models.PositiveSmallIntegerField(
        _("from grade"), default=1, validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    grade_to = models.PositiveSmallIntegerField(
        _("to grade"), default=11, validators=[MinValueValidator(1), MaxValueValidator(11)]
    )

    class Meta:
        verbose_name = _("study period")
        verbose_name_plural = _("study periods")
        ordering = ["start", "grade_from"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="studyperiod_end_after_start"),
            models.CheckConstraint(condition=Q(grade_to__gte=F("grade_from")), name="studyperiod_grades_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class Holiday(SchoolOwned):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("name"), max_length=100, help_text=_("For example, autumn holidays"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holidays")
        verbose_name_plural = _("holidays")
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="holiday_end_not_before_start")]

    def __str__(self) -> str:
        return self.name


class BellSchedule(SchoolOwned):
    """Lesson times; a school may have several (two shifts, a shortened day) (R-B02)."""

    name = models.CharField(_("name"), max_length=100, help_text=_("For example, first shift"))

    class Meta:
        verbose_name = _("bell schedule")
        verbose_name_plural = _("bell schedules")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="bellschedule_unique_name")]

    def __str__(self) -> str:
        return self.name


class Bell(SchoolOwned):
    schedule = models.ForeignKey(BellSchedule, on_delete=models.CASCADE, related_name="bells")
    number = models.PositiveSmallIntegerField(_("lesson number"), validators=[MaxValueValidator(15)])
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("bell")
        verbose_name_plural = _("bells")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="bell_unique_number"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="bell_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.start:%H:%M}–{self.end:%H:%M}"


class Subject(SchoolOwned):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    no_attestation = models.BooleanField(
        _("without attestation"), default=False, help_text=_("No period or year marks")
    )

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="subject_unique_name")]

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
    bell_schedule = models.ForeignKey(
        BellSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("bells")
    )
    # Set by promotion: the class of the previous year this one continues («5А» → «6А»).
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next", verbose_name=_("continues")
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


class StudyGroup(SchoolOwned):
    """A subgroup of a class (English 1, English 2) or a group across classes (a profile group)."""

    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="groups", verbose_name=_("class")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="groups", verbose_name=_("subject")
    )

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="studygroup_unique_name")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(SchoolOwned):
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_memberships")
    group = models.ForeignKey(StudyGroup, on_delete=models.PROTECT, related_name="memberships")
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="groupmembership_until_after_since"
            ),
        ]
        indexes = [models.Index(fields=["group", "since"]), models.Index(fields=["pupil", "since"])]

    def __str__(self) -> str:
        return f"{self.pupil} — {self.group}"
