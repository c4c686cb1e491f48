from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolSettings
from .settings_services import EDITABLE_FIELDS

# The page's sections, in the order a school's regulation lists them (DESIGN §5).
SECTIONS = [
    (_("Current marks and attendance"), ["mark_entry_days", "edit_window_days"]),
    (_("Homework"), ["homework_entry_hours"]),
    (
        _("Period and year marks"),
        [
            "period_mark_entry_days",
            "period_mark_edit_days",
            "lock_journal_after_period_mark",
            "forbid_two_as_year_mark",
            "forbid_two_as_period_mark",
        ],
    ),
    (_("Corrections after a mark is set"), ["corrections_need_approval"]),
    (_("Objective attestation"), ["min_marks_one_hour", "min_marks_more_hours", "rounding_threshold"]),
    (_("Families and the diary"), ["appeal_days", "diary_silence_days", "mark_digest_hour", "weekly_sheets_hour"]),
    (_("SMS to families"), ["sms_quiet_from", "sms_quiet_until"]),
    (_("Reports"), ["preliminary_report_days", "medal_max_fours"]),
    (
        _("Pupils' workload"),
        [
            "workload_minutes_grade_1",
            "workload_minutes_grades_2_3",
            "workload_minutes_grades_4_5",
            "workload_minutes_grades_6_8",
            "workload_minutes_grades_9_11",
            "control_works_per_day",
            "control_works_per_week",
        ],
    ),
    (_("Splitting classes into groups"), ["class_teacher_splits_groups", "deputy_splits_groups"]),
    (_("Timetable"), ["deputy_edits_timetable", "class_teacher_edits_timetable"]),
    (_("Security and the audit log"), ["session_idle_minutes", "audit_retention_days"]),
]

# What each rule means and where it comes from; shown under the field and on the read-only page.
HELP = {
    "mark_entry_days": _(
        "Marks and attendance entered later are still accepted but counted as late in the fill-rate reports. "
        "The regulation's default: 2 days."
    ),
    "edit_window_days": _(
        "After this, a mark or an absence changes only through a late-change request approved by the director. "
        "Empty means no limit until the year is closed. Default: 14 days."
    ),
    "homework_entry_hours": _("Counted from the end of the class's last lesson of the day. Default: 4 hours."),
    "period_mark_entry_days": _("Counted from the period's last day. Default: 3 days."),
    "period_mark_edit_days": _("After this, period marks change only through a late-change request. Default: 14 days."),
    "lock_journal_after_period_mark": _(
        "Once a course's period marks are set, its teacher no longer edits that period's journal."
    ),
    "forbid_two_as_year_mark": _("An academic debt is recorded instead of a «2» for the year."),
    "forbid_two_as_period_mark": _(
        "The same for quarter and half-year marks (seed 003 counts them as intermediate attestation too)."
    ),
    "corrections_need_approval": _(
        "When on, a teacher changes a mark already entered only through a request approved by the director or a "
        "deputy, even within the edit window. Off by default."
    ),
    "min_marks_one_hour": _(
        "Setting a period mark with fewer marks shows a warning. Default: 3 marks for 1 hour a week."
    ),
    "min_marks_more_hours": _("The same for subjects of 2 or more hours a week. Default: 5 marks."),
    "rounding_threshold": _(
        "A weighted average of 4.50 becomes a forecast of 5 when this is 0.50; 0.60 would need 4.60."
    ),
    "appeal_days": _("A pupil or a parent reports a wrongly entered mark within these days. Default: 3 days."),
    "diary_silence_days": _(
        "The class teacher sees which parents have not opened the diary for this long, to call them. Default: 14 days."
    ),
    "mark_digest_hour": _("Parents who chose a daily digest of marks get it at this hour. Default: 18."),
    "sms_quiet_from": _(
        "SMS of marks and absences that happen from this time wait until the quiet hours end (school time). "
        "Default: 21:00."
    ),
    "sms_quiet_until": _(
        "The end of the quiet hours: the SMS that waited go from this time. The same time as the start means no quiet "
        "hours. Default: 08:00."
    ),
    "weekly_sheets_hour": _(
        "Parents who opted out of the electronic diary get the past week's summary sheet on Monday from this hour "
        "(school time): by email if they gave an address, and on paper through the class teacher. Default: 7."
    ),
    "preliminary_report_days": _(
        "Forecasts and the class teacher's preliminary progress report are due this many days before a period ends. "
        "Seed 003: 14 days; seed 004: 10 days."
    ),
    "medal_max_fours": _(
        "The medal commission's sheet lists pupils of grades 9 and 11 whose year marks are all «5», or «5» with at "
        "most this many «4». Default: 0."
    ),
    "workload_minutes_grade_1": _(
        "The workload report marks a class's day whose homework, as the teachers estimate it, takes longer. "
        "SanPiN 1.2.3685-21: 60 minutes in grade 1."
    ),
    "workload_minutes_grades_2_3": _("SanPiN 1.2.3685-21: 90 minutes."),
    "workload_minutes_grades_4_5": _("SanPiN 1.2.3685-21: 120 minutes."),
    "workload_minutes_grades_6_8": _("SanPiN 1.2.3685-21: 150 minutes."),
    "workload_minutes_grades_9_11": _("SanPiN 1.2.3685-21: 210 minutes."),
    "control_works_per_day": _(
        "Works of a control work type on one day of a class: more are marked in the workload report. The federal "
        "recommendations on assessment procedures (2021): at most one a day. Default: 1."
    ),
    "control_works_per_week": _(
        "No federal number exists for a week; 3 keeps a free day between control works in a five-day week. Default: 3."
    ),
    "class_teacher_splits_groups": _("Besides the administrator, a class teacher splits their own class."),
    "deputy_splits_groups": _("Besides the administrator, deputy heads split any class."),
    "deputy_edits_timetable": _(
        "Besides the administrator, deputy heads edit every class's timetable, move and cancel lessons and record "
        "substitutions."
    ),
    "session_idle_minutes": _(
        "Classrooms share computers: a person who has done nothing for this long is logged out and logs in again. "
        "0 means never. Default: 30 minutes."
    ),
    "audit_retention_days": _(
        "Entries of the audit log (logins, passwords, rights, settings, downloads) older than this are deleted "
        "every night; at least 365 days. Default: 1095 days (three years)."
    ),
    "class_teacher_edits_timetable": _(
        "Besides the administrator, a class teacher edits their own class's timetable and moves its lessons."
    ),
}


# Pupils' workload limits (R-J12), added after the page's first version.
KEPT_WHEN_ABSENT = (
    "workload_minutes_grade_1",
    "workload_minutes_grades_2_3",
    "workload_minutes_grades_4_5",
    "workload_minutes_grades_6_8",
    "workload_minutes_grades_9_11",
    "control_works_per_day",
    "control_works_per_week",
)


class SchoolSettingsForm(forms.ModelForm):
    """The school's rules. Validation here is the fields' own; the rules across fields live in the service."""

    class Meta:
        model = SchoolSettings
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.help_text = HELP.get(name, field.help_text)
            if isinstance(field, forms.DecimalField):
                # «0,5» as a Russian writes it, with the phone's decimal keypad.
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                field.widget.is_localized = True
            elif isinstance(field, forms.IntegerField):
                field.widget.attrs["inputmode"] = "numeric"
            elif isinstance(field, forms.TimeField):
                field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
                # An older page without the field (or a browser that sends it empty) keeps the school's time.
                field.required = False
            if name in KEPT_WHEN_ABSENT:
                field.required = False

    def clean(self):
        data = super().clean()
        # An older page without the workload limits (or an empty box) keeps the school's numbers.
        for name in KEPT_WHEN_ABSENT:
            if data.get(name) is None:
                data[name] = getattr(self.instance, name)
        return data

    def _time_or_current(self, name: str):
        return self.cleaned_data.get(name) or getattr(self.instance, name)

    def clean_sms_quiet_from(self):
        return self._time_or_current("sms_quiet_from")

    def clean_sms_quiet_until(self):
        return self._time_or_current("sms_quiet_until")

    def sections(self):
        """[(title, [bound fields])] for the template."""
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]
