"""Permission-matrix rows of the school's SMS to families (R-I07): the administrator's page and the retry of a failed
SMS; another school's administrator finds nothing (404)."""

from django.test import override_settings

from accounts import services as accounts_services
from diary import notices, sms_notices
from diary.models import SmsNotice
from diary.sms import BaseBackend, SmsError
from gradebook.marks import mark_set
from gradebook.models import Mark

from . import REDIRECT, Case, only
from .journal import work_on

OTHER_SCHOOL = {"foreign_teacher": 404}


class RefusingBackend(BaseBackend):
    """A gateway that refuses the number for good: the SMS fails at its first attempt."""

    def send(self, *, phone, text, reference=None):
        raise SmsError("the gateway's error 8: абонент недоступен")


def failed_sms(w) -> dict:
    """A failed SMS of the guardian's child's new mark, made through the services."""
    if not hasattr(w, "_sms_failed"):
        g = w.guardian
        accounts_services.person_update(
            actor=w.admin, school=w.school, person=g, last_name=g.last_name, first_name=g.first_name,
            middle_name=g.middle_name, email=g.email, phone="+7 916 123-45-67",
        )  # fmt: skip
        notices.notification_settings_set(actor=g, school=w.school, marks="none", sms_marks=True)
        work = work_on(w)
        mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="5")
        history_id = Mark.history.filter(work_id=work.pk).order_by("-history_id").first().history_id
        [sms_id] = sms_notices.mark_sms_create(history_id=history_id)
        with override_settings(SMS_BACKEND="tests.matrix.sms.RefusingBackend"):
            sms_notices.sms_send(sms_id=sms_id)
        w._sms_failed = SmsNotice.objects.get(pk=sms_id, status=SmsNotice.Status.FAILED)
    return {"sms_id": w._sms_failed.pk}


ROWS: dict[str, list[Case]] = {
    "diary:sms_list": [
        Case("waiting and failed", only("admin")),
        Case("sent", only("admin"), data=lambda w: {"show": "sent"}),
        Case("an unknown tab", only("admin"), data=lambda w: {"show": "nonsense"}),
        Case("wrong method", only(ok=405, default=405, anonymous=405), method="post"),
    ],
    "diary:sms_retry": [
        Case("a failed SMS", only("admin", ok=REDIRECT) | OTHER_SCHOOL, kwargs=failed_sms, method="post"),
        Case("wrong method", only(ok=405, default=405, anonymous=405), kwargs=failed_sms),
    ],
}
