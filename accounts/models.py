import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class User(AbstractUser):
    """A person who logs in. The login is `username`; names are kept as a Russian school writes them."""

    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when a temporary password is issued; the user changes it before anything else."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "middle_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """«Иванова Мария Петровна»: surname first, as in a class register."""
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def get_short_name(self) -> str:
        """«Иванова М. П.»"""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username


class School(models.Model):
    """The tenant. Every school-owned row points here directly."""

    name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


def _days(verbose: str, default: int, help_text: str = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose, default=default, validators=[MinValueValidator(0), MaxValueValidator(366)], help_text=help_text
    )


def _minutes(verbose, default: int):
    return models.PositiveSmallIntegerField(
        verbose, default=default, validators=[MinValueValidator(10), MaxValueValidator(600)]
    )


class SchoolSettings(models.Model):
    """The time rules of DESIGN §5 and the attestation rules, with the seeds' defaults; the admin edits them."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, primary_key=True, related_name="settings")

    # Current marks and attendance (seed 000 §6-7, R-D01..D03).
    mark_entry_days = _days(_("enter current marks within (days after the lesson)"), 2)
    edit_window_days = models.PositiveSmallIntegerField(
        _("edit window for marks and attendance (days after the lesson)"),
        null=True,
        blank=True,
        default=14,
        validators=[MaxValueValidator(366)],
        help_text=_("Empty means no limit until the year is closed."),
    )
    # Homework (seed 000 §9, seed 004: 4 hours after the pupils' last lesson).
    homework_entry_hours = models.PositiveSmallIntegerField(
        _("enter homework within (hours after the class's last lesson)"),
        default=4,
        validators=[MaxValueValidator(72)],
    )
    # Period marks (seed 000 §10, seed 001).
    period_mark_entry_days = _days(_("enter period marks within (days after the period)"), 3)
    period_mark_edit_days = _days(_("edit period marks within (days after the period)"), 14)
    lock_journal_after_period_mark = models.BooleanField(
        _("close the course's journal for the period once a period mark is set"), default=True
    )
    forbid_two_as_year_mark = models.BooleanField(_("no «2» as a year mark (academic debt instead)"), default=True)
    # Seed 003 calls quarter and half-year marks intermediate attestation too: on by default (issue 6).
    forbid_two_as_period_mark = models.BooleanField(_("no «2» as a period mark (academic debt instead)"), default=True)
    # Objective attestation (seed 003).
    min_marks_one_hour = models.PositiveSmallIntegerField(
        _("marks needed for a period mark at 1 hour a week"), default=3, validators=[MaxValueValidator(50)]
    )
    min_marks_more_hours = models.PositiveSmallIntegerField(
        _("marks needed for a period mark at 2+ hours a week"), default=5, validators=[MaxValueValidator(50)]
    )
    # Rounding of the weighted average into a forecast: 4.50 → 5 by default.
    rounding_threshold = models.DecimalField(
        _("fraction from which the average rounds up"),
        max_digits=3,
        decimal_places=2,
        default="0.50",
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    # Seed 003: "запрещается исправление отметок без согласования" (R-F07): off by default (seeds 000, 001).
    corrections_need_approval = models.BooleanField(
        _("correcting a mark needs the director's approval even within the window"), default=False
    )
    # A pupil or guardian reports a wrongly entered mark (seed 004 §7.1).
    appeal_days = _days(_("days to report a wrong mark"), 3)
    # Seed 003: the class teacher calls the parents who have not opened the diary for two weeks (R-I12).
    diary_silence_days = _days(_("list parents who have not opened the diary for (days)"), 14)
    # The hour (school time) at which parents who chose a daily digest of marks get it.
    mark_digest_hour = models.PositiveSmallIntegerField(
        _("daily digest of marks sent at (hour)"), default=18, validators=[MaxValueValidator(23)]
    )
    # SMS to families (R-I07) wait for the morning when their event falls in the night: school time, the start may
    # be after the end (21:00–08:00 crosses midnight); the same time twice means no quiet hours.
    sms_quiet_from = models.TimeField(_("no SMS from"), default=datetime.time(21, 0))
    sms_quiet_until = models.TimeField(_("no SMS until"), default=datetime.time(8, 0))
    # Families who opted out of the diary get the past week's summary sheet on Monday morning (R-I04, seed 000 §13).
    weekly_sheets_hour = models.PositiveSmallIntegerField(
        _("weekly summary sheets are built on Monday at (hour)"), default=7, validators=[MaxValueValidator(23)]
    )
    # The teachers' forecasts and the class teacher's preliminary report are due this many days before a period
    # ends (R-E13: 14 days in seed 003, 10 in seed 004).
    preliminary_report_days = _days(_("preliminary reports are due (days before a period ends)"), 14)
    # The medal commission's sheet (R-J14): pupils of grades 9 and 11 whose year marks are all «5», or «5» with at
    # most this many «4».
    medal_max_fours = models.PositiveSmallIntegerField(
        _("«4» allowed among the year marks for the medal commission's sheet"),
        default=0,
        validators=[MaxValueValidator(20)],
    )
    # Pupils' workload (R-J12): homework time a day by grade band (SanPiN 1.2.3685-21, table 6.6: grade 1 — 1 hour,
    # 2–3 — 1.5, 4–5 — 2, 6–8 — 2.5, 9–11 — 3.5 hours), and control works (one a day, as the 2021 federal
    # recommendations on assessment procedures ask; the week's number is the school's own).
    workload_minutes_grade_1 = _minutes(_("homework a day, grade 1 (minutes)"), 60)
    workload_minutes_grades_2_3 = _minutes(_("homework a day, grades 2–3 (minutes)"), 90)
    workload_minutes_grades_4_5 = _minutes(_("homework a day, grades 4–5 (minutes)"), 120)
    workload_minutes_grades_6_8 = _minutes(_("homework a day, grades 6–8 (minutes)"), 150)
    workload_minutes_grades_9_11 = _minutes(_("homework a day, grades 9–11 (minutes)"), 210)
    control_works_per_day = models.PositiveSmallIntegerField(
        _("control works a day in one class"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    control_works_per_week = models.PositiveSmallIntegerField(
        _("control works a week in one class"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # Who may split a class into study groups besides the admin (R-B06; seed 000 §3, 003, 004 §5.1).
    class_teacher_splits_groups = models.BooleanField(
        _("class teachers split their own class into groups"), default=True
    )
    deputy_splits_groups = models.BooleanField(_("deputy heads split classes into groups"), default=True)
    # Who edits the timetable besides the admin (R-C01; seed 000 §4, 004 §3.1 п.9).
    deputy_edits_timetable = models.BooleanField(_("deputy heads edit the timetable"), default=True)
    class_teacher_edits_timetable = models.BooleanField(
        _("class teachers edit their own class's timetable"), default=True
    )
    # Shared computers in classrooms: a session left open logs out by itself (issue 10 item 5). 0: never.
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("log out after inactivity (minutes)"), default=30, validators=[MaxValueValidator(24 * 60)]
    )
    # How long the audit log keeps its entries (issue 10 item 2); three years by default, never less than one.
    audit_retention_days = models.PositiveSmallIntegerField(
        _("keep the audit log for (days)"),
        default=1095,
        validators=[MinValueValidator(365), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("school settings")
        verbose_name_plural = _("school settings")

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def of(cls, school: School) -> "SchoolSettings":
        """The school's rules: read once per school object (`select_related("school__settings")` reads them with
        the school); a school without its row follows the defaults."""
        try:
            return school.settings
        except cls.DoesNotExist:
            return cls(school=school)


class Role(models.TextChoices):
    """Roles held through memberships. The class teacher is not a membership: it comes from the class."""

    ADMIN = "admin", _("Administrator")
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy head")
    TEACHER = "teacher", _("Teacher")
    PUPIL = "pupil", _("Pupil")
    GUARDIAN = "guardian", _("Parent")


STAFF_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER})
FAMILY_ROLES = frozenset({Role.PUPIL, Role.GUARDIAN})
# Read every journal and diary of the school (R-A03).
READER_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY})


class Membership(SchoolOwned):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [models.UniqueConstraint(fields=["school", "user", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class GuardianLink(SchoolOwned):
    """A parent or legal representative of a pupil. A guardian may have several children; a pupil two guardians."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        OTHER = "other", _("legal representative")

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    pupil = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_links")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, default=Relation.OTHER)

    class Meta:
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        constraints = [models.UniqueConstraint(fields=["guardian", "pupil"], name="guardianlink_unique")]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.pupil}"


class PersonalDataConsent(SchoolOwned):
    """A consent to personal-data processing (R-B09): recorded before the person's data is saved.

    For a minor pupil the consent is signed by a parent; `signed_by` names who signed it.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pd_consents")
    signed_by = models.CharField(_("signed by"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    document = models.CharField(_("document"), max_length=300, help_text=_("Number or description of the paper"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal-data consent")
        verbose_name_plural = _("personal-data consents")
        ordering = ["-signed_on"]
        indexes = [models.Index(fields=["school", "person"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.document}"


class GuardianProfile(SchoolOwned):
    """A parent's choices in one school: the electronic diary or weekly paper sheets (seed 001, DESIGN §1)."""

    class PaperChannel(models.TextChoices):
        EMAIL = "email", _("by email")
        POST = "post", _("by post")
        IN_PERSON = "in_person", _("handed over at school")

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_profiles")
    diary_opt_out = models.BooleanField(_("opted out of the electronic diary"), default=False)
    paper_channel = models.CharField(
        _("paper summary sheets"), max_length=16, choices=PaperChannel.choices, default=PaperChannel.IN_PERSON
    )
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    # A parent who opted out keeps a login only if they ask for one (issue 7): without it the account is closed
    # and they get the paper sheets only.
    keeps_account = models.BooleanField(_("keeps a login to the portal"), default=True)

    class Meta:
        verbose_name = _("parent's profile")
        verbose_name_plural = _("parents' profiles")
        constraints = [models.UniqueConstraint(fields=["school", "guardian"], name="guardianprofile_unique")]

    def __str__(self) -> str:
        return str(self.guardian)


class CredentialIssue(SchoolOwned):
    """Credentials handed to a person (R-B11..B14). The temporary password itself is never stored."""

    class Channel(models.TextChoices):
        SLIP = "slip", _("printed slip")
        EMAIL = "email", _("email")

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credential_issues")
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("credentials issued")
        verbose_name_plural = _("credentials issued")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["school", "person"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_channel_display()})"


class ImportJob(SchoolOwned):
    """An uploaded file of people: parsed and previewed first, written all or nothing on confirmation."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        PUPILS = "pupils", _("pupils with parents")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview")
        APPLIED = "applied", _("applied")
        REFUSED = "refused", _("refused")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=300)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("state"), max_length=16, choices=Status.choices, default=Status.PREVIEW)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
