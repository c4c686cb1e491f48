from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    class Form(models.TextChoices):
        # R-E11: a pupil in family education or self-education belongs to the class only for intermediate
        # attestation: no lessons, no journal rows, results recorded on the attestation sheets.
        SCHOOL = "school", _("at school")
        FAMILY = "family", _("family education")
        SELF = "self", _("self-education")

    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrollments")
    since = models.DateField(_("enrolled since"))
    until = models.DateField(_("enrolled until"), null=True, blank=True)
    form = models.CharField(_("form of education"), max_length=8, choices=Form.choices, default=Form.SCHOOL)

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


class Course(SchoolOwned):
    """The teaching load (нагрузка, R-B05): a subject taught to a whole class or to a study group by its teachers."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("lessons")
        EXTRACURRICULAR = "extracurricular", _("extracurricular / additional education")

    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="courses")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="courses", verbose_name=_("subject"))
    # The whole class, or a group of it (then both are set), or a group across classes (then only the group).
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="courses", verbose_name=_("class")
    )
    group = models.ForeignKey(
        StudyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="courses", verbose_name=_("group")
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CourseTeacher", related_name="courses", verbose_name=_("teachers")
    )
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LESSON)
    attested = models.BooleanField(_("with period and year marks"), default=True)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For a club or an elective: its own name")
    )
    # When the thematic plan was last posted (R-C08: at least 7 days before each reporting period).
    plan_updated_at = models.DateTimeField(_("thematic plan posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["subject__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school_class__isnull=False) | Q(group__isnull=False), name="course_has_pupils"
            ),
        ]
        indexes = [models.Index(fields=["year", "school_class"])]

    def __str__(self) -> str:
        name = self.title or self.subject.name
        return f"{name}, {self.group.name if self.group_id else self.school_class}"

    @property
    def audience(self) -> str:
        """Who is taught: «5А» or «5А английский 1»."""
        return self.group.name if self.group_id else str(self.school_class)


class CourseTeacher(SchoolOwned):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_teachers")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_links")

    class Meta:
        verbose_name = _("course teacher")
        verbose_name_plural = _("course teachers")
        constraints = [models.UniqueConstraint(fields=["course", "teacher"], name="courseteacher_unique")]


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")


class TimetableEntryQuerySet(SchoolOwnedQuerySet):
    def on(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def overlapping(self, start, end):
        """Entries valid on at least one day of [start, end] (end None: open-ended)."""
        qs = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        return qs if end is None else qs.filter(valid_from__lte=end)


class TimetableEntry(SchoolOwned):
    """A course's place in the week from one date to another: a change from a date ends the old entry and starts a
    new one, so the weeks before it stay as they were (seed 002 §1.1)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="entries")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    number = models.PositiveSmallIntegerField(_("lesson number"), validators=[MaxValueValidator(15)])
    room = models.CharField(_("room"), max_length=30, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = TimetableEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        ordering = ["weekday", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="entry_valid_range"
            ),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=6), name="entry_weekday_range"),
        ]
        indexes = [models.Index(fields=["school", "weekday", "number"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}, {self.number}: {self.course}"


class PlanItem(SchoolOwned):
    """A line of a course's thematic plan (КТП, R-C08): a topic and the lessons it takes."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="plan_items")
    position = models.PositiveIntegerField(_("number"))
    section = models.CharField(_("section"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=500)
    hours = models.PositiveSmallIntegerField(
        _("hours"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    control = models.CharField(_("control"), max_length=200, blank=True, help_text=_("For example, a test"))

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["course", "position"], name="planitem_unique_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.topic}"


class LessonQuerySet(SchoolOwnedQuerySet):
    def in_journal(self):
        """Lessons that count: a cancelled lesson leaves the journal and the fill rate (issue 4)."""
        return self.exclude(status=Lesson.Status.CANCELLED)


class Lesson(SchoolOwned):
    """A dated lesson of a course, generated from the timetable or added by hand."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Form(models.TextChoices):
        # R-C12: in class, distance (remote) or electronic (digital content).
        IN_CLASS = "class", _("in class")
        DISTANCE = "distance", _("distance")
        ELECTRONIC = "electronic", _("electronic")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="lessons")
    date = models.DateField(_("date"))
    number = models.PositiveSmallIntegerField(_("lesson number"), validators=[MaxValueValidator(15)])
    room = models.CharField(_("room"), max_length=30, blank=True)
    # The timetable entry and the date it put the lesson on: the key that makes generation idempotent, kept when
    # the lesson is moved, so that generating again does not bring a moved lesson back to its old place.
    entry = models.ForeignKey(TimetableEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    slot_date = models.DateField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.IN_CLASS)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons", verbose_name=_("plan item")
    )
    # False once somebody typed the topic by hand: applying the plan again keeps it.
    topic_from_plan = models.BooleanField(default=False)
    is_extra = models.BooleanField(_("added by hand"), default=False)
    history = HistoricalRecords(excluded_fields=["entry", "slot_date"])

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["date", "number"]
        permissions = [("substitute_lesson", "Substitutes on this lesson (a guardian grant)")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "slot_date"], name="lesson_unique_slot"),
        ]
        indexes = [
            models.Index(fields=["course", "date"]),
            models.Index(fields=["school", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}, {self.number}: {self.course}"


class Substitution(SchoolOwned):
    """A lesson taught by another teacher (R-C04, R-C06); the rows are the substitution log (R-C07)."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="substitution")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="substitutions", verbose_name=_("substitute")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["-lesson__date", "lesson__number"]

    def __str__(self) -> str:
        return f"{self.lesson}: {self.substitute}"


def _homework_path(instance, filename: str) -> str:
    # The school and the lesson's month keep a directory small; the stored name is not the user's (no collisions).
    return f"homework/{instance.school_id}/{instance.homework.lesson.date:%Y-%m}/{filename}"


class Homework(SchoolOwned):
    """What is set in a lesson (R-G01): its content and how to do it, pages, exercises, files, the lesson it is due."""

    lesson = models.OneToOneField(Lesson, on_delete=models.PROTECT, related_name="homework")
    text = models.TextField(_("task"), max_length=2000, blank=True)
    pages = models.CharField(_("pages"), max_length=100, blank=True, help_text=_("For example, pp. 45–47"))
    exercises = models.CharField(_("exercises"), max_length=200, blank=True, help_text=_("For example, № 312, 315"))
    # R-J12: the teacher's estimate of the time the task takes, summed per class and day in the workload report.
    minutes = models.PositiveSmallIntegerField(
        _("time to do, minutes"), null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    due_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("due by the lesson")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Entered after the school's deadline for homework (R-G02): accepted and counted as late.
    entered_late = models.BooleanField(_("entered late"), default=False)
    # Electronic tasks (R-G04): the pupils hand the work in through the diary by `submission_due`; after it a
    # submission is refused unless the teacher chose to accept late ones (then it is flagged late).
    submission_required = models.BooleanField(_("handed in through the diary"), default=False)
    submission_due = models.DateTimeField(_("hand in by"), null=True, blank=True)
    accept_late = models.BooleanField(_("accept late work"), default=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("homework")
        verbose_name_plural = _("homework")

    def __str__(self) -> str:
        return self.text[:60] or self.exercises or self.pages


class HomeworkFile(SchoolOwned):
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_homework_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("homework file")
        verbose_name_plural = _("homework files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


def _material_path(instance, filename: str) -> str:
    return f"materials/{instance.school_id}/{instance.lesson.date:%Y-%m}/{filename}"


class LessonMaterial(SchoolOwned):
    """A teaching material of a lesson (R-G03): a file, a link or a test / exercises written out. The teacher posts it
    ahead of the lesson; pupils and their parents see it from the lesson's date."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")
        TEXT = "text", _("test or exercises")

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_material_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted"))
    updated_at = models.DateTimeField(_("changed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teaching material")
        verbose_name_plural = _("teaching materials")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["lesson", "created_at"])]

    def __str__(self) -> str:
        return self.title


def _submission_path(instance, filename: str) -> str:
    return f"submissions/{instance.school_id}/{instance.submission.homework_id}/{filename}"


class HomeworkSubmission(SchoolOwned):
    """A pupil's work handed in for an electronic task (R-G04). Never a mark: the teacher marks it, if at all, in the
    journal through the journal's own service (R-A06)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("handed in")
        CHECKED = "checked", _("checked")

    homework = models.ForeignKey(Homework, on_delete=models.PROTECT, related_name="submissions")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    text = models.TextField(_("answer"), max_length=5000, blank=True)
    submitted_at = models.DateTimeField(_("handed in"))
    late = models.BooleanField(_("late"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    comment = models.TextField(_("teacher's comment"), max_length=2000, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commented_at = models.DateTimeField(_("commented"), null=True, blank=True)
    # The journal column (gradebook's LessonWork) the teacher marked this work in. A plain id: the schedule app sits
    # below the gradebook (DESIGN §3) and holds no key to its tables; the mark itself lives in the journal only.
    mark_work_id = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submitted work")
        verbose_name_plural = _("submitted work")
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["homework", "pupil"], name="submission_unique_pupil")]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.homework}"


class SubmissionFile(SchoolOwned):
    submission = models.ForeignKey(HomeworkSubmission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_submission_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
