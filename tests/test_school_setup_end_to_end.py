"""Issue 3's "Done means", as a new user would do it, through the pages alone, from an empty database:
first run → year with its periods → staff → classes → a Windows-1251 «;» file of 500 pupils with parents → the
credential slips of a class → one of those parents logs in with the temporary password and must change it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import GuardianLink, ImportJob, Role, User
from schedule.models import AcademicYear, SchoolClass, StudyPeriod
from tests.accounts.test_credentials import slip_credentials
from tests.schedule.import_files import PUPILS, as_csv, many_pupils

CONSENT = {"consent_document": "Согласие № 1", "consent_signed_on": "2026-08-20"}


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_a_school_is_set_up_through_the_pages_and_a_parent_logs_in_from_a_slip(client, db, clock):
    # 1. First run: the school and its administrator.
    ok(client.post(reverse("accounts:welcome"), {
        "school_name": "МБОУ «Средняя общеобразовательная школа № 3»", "short_name": "СОШ № 3",
        "last_name": "Орлова", "first_name": "Ирина", "middle_name": "Павловна", "username": "orlova",
        "password1": "Shkola-3-admin", "password2": "Shkola-3-admin", **CONSENT,
    }))  # fmt: skip
    assert client.get("/")["Location"] == reverse("setup")

    # 2. The academic year and its usual quarters and holidays.
    ok(client.post(reverse("schedule:year_add"), {"name": "2026/2027", "start": "2026-09-01", "end": "2027-08-31"}))
    year = AcademicYear.objects.get()
    ok(client.post(reverse("schedule:year_fill_usual", args=[year.pk])))
    assert StudyPeriod.objects.filter(year=year).count() == 6

    # 3. A class teacher, then the classes of the file.
    consent = {**CONSENT, "consent_signed_by": "лично"}
    ok(client.post(reverse("schedule:staff_add"), {
        "last_name": "Зайцева", "first_name": "Ольга", "middle_name": "Ивановна", "roles": [Role.TEACHER], **consent,
    }))  # fmt: skip
    teacher = User.objects.get(last_name="Зайцева")
    ok(client.post(reverse("schedule:class_add"), {"grade": 5, "letter": "А", "class_teacher": teacher.pk}))
    ok(client.post(reverse("schedule:class_add"), {"grade": 5, "letter": "Б"}))

    # 4. The import: preview first, then all 500 at once.
    content = as_csv(PUPILS, many_pupils(500), encoding="cp1251", delimiter=";")
    response = client.post(
        reverse("schedule:import_upload"),
        {"kind": "pupils", "file": SimpleUploadedFile("ученики.csv", content)},
        follow=True,
    )
    assert "CSV, Windows-1251, «;»" in response.content.decode()
    job = ImportJob.objects.get()
    ok(client.post(reverse("schedule:import_apply", args=[job.pk])))
    assert User.objects.filter(memberships__role=Role.PUPIL).count() == 500

    # 5. The slips of 5А: every pupil and parent of the class.
    five_a = SchoolClass.objects.get(grade=5, letter="А")
    page = client.get(reverse("schedule:credentials_class", args=[five_a.pk]))
    ok(page, 200)
    pupils = list(User.objects.filter(enrollments__school_class=five_a).values_list("pk", flat=True))
    parents = list(GuardianLink.objects.filter(pupil_id__in=pupils).values_list("guardian_id", flat=True))
    people = pupils + parents
    assert len(pupils) == 250
    pdf = ok(client.post(reverse("schedule:credentials_class_print", args=[five_a.pk]), {"people": people}), 200)
    assert pdf["Content-Type"] == "application/pdf"
    found = slip_credentials(pdf.content)
    parent = GuardianLink.objects.filter(pupil__enrollments__school_class=five_a).select_related("guardian").first()
    login, password = parent.guardian.username, found[parent.guardian.username]

    # 6. The parent logs in with the temporary password and must choose their own first.
    client.logout()
    ok(client.post(reverse("accounts:login"), {"username": login, "password": password}))
    assert client.get(reverse("diary:home"))["Location"] == reverse("accounts:password_change")
    ok(client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": "Nash-parol-2026", "new_password2": "Nash-parol-2026",
    }))  # fmt: skip
    child = client.get(reverse("diary:home"), follow=True)
    assert parent.pupil.get_full_name() in child.content.decode()
