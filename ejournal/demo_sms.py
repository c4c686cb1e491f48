"""SMS in the demo school (R-I07): «guardian» has a mobile number and chose an SMS for each new mark, so that a mark
the demo teacher sets for «pupil» prints its SMS in the console (SMS_BACKEND's default), and the admin's «SMS» page
has the SMS of her child's latest marks. Through the same services as real data; nothing is added twice."""

from accounts import services as accounts_services
from accounts.models import School, User
from diary import notices, sms_notices
from diary.models import SmsNotice
from gradebook.models import Mark

DEMO_PHONE = "+7 900 000-00-01"  # a number of the reserved test range, never a real subscriber's
LATEST_MARKS = 3


def add_sms(*, school: School) -> int:
    """The stable mother's phone and SMS choice, and the SMS of her child's latest marks; returns how many SMS."""
    guardian = User.objects.filter(username="guardian").first()
    pupil = User.objects.filter(username="pupil").first()
    if guardian is None or pupil is None or SmsNotice.objects.filter(school=school).exists():
        return 0
    accounts_services.person_update(
        actor=None,
        school=school,
        person=guardian,
        last_name=guardian.last_name,
        first_name=guardian.first_name,
        middle_name=guardian.middle_name,
        birth_date=guardian.birth_date,
        email=guardian.email,
        phone=DEMO_PHONE,
    )
    notices.notification_settings_set(actor=guardian, school=school, marks="each", sms_marks=True, sms_absences=True)
    history = (
        Mark.history.filter(school_id=school.pk, pupil_id=pupil.pk, history_type="+")
        .order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)[:LATEST_MARKS]
    )
    made = 0
    for history_id in reversed(list(history)):
        for sms_id in sms_notices.mark_sms_create(history_id=history_id):
            sms_notices.sms_send(sms_id=sms_id)
        made += 1
    return made
