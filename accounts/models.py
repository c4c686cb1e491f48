from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class User(AbstractUser):
    """A person who logs in. The login is `username`; names are kept as a Russian school writes them."""

    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
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
    forbid_two_as_period_mark = models.BooleanField(_("no «2» as a period mark (academic debt instead)"), default=False)
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
    # A pupil or guardian reports a wrongly entered mark (seed 004 §7.1).
    appeal_days = _days(_("days to report a wrong mark"), 3)

    class Meta:
        verbose_name = _("school settings")
        verbose_name_plural = _("school settings")

    def __str__(self) -> str:
        return str(self.school)


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
