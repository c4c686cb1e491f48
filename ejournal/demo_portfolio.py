"""The demo school's portfolios and document store (issue 11 items 3 and 4; R-I14, R-G06).

Portfolios: 5А's pupils (the stable «pupil» among them) have olympiads, contests, projects and sport results of this
year and the last, entered by their class teacher and their maths teacher, some with a diploma's scan; in a few other
classes their class teachers have entered one or two, so that the deputy's report has lines of every kind.
Documents: the folders a school keeps (orders, regulations, forms, plans, the administration's staff documents) with
a few documents each, one of them replaced once (an older version in its history).

Made through portfolio/services.py and documents/services.py, so every rule holds. The files are small PDFs laid out
by WeasyPrint in one pass (with the Cyrillic fonts of static/). Deterministic for the same school and day; nothing is
added when the school already has achievements or folders.
"""

import datetime
import random
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Role, School, User
from accounts.slips import font_faces
from documents import services as document_services
from documents.models import Document, Folder
from portfolio import services as portfolio_services
from portfolio.models import Achievement
from portfolio.rules import may_write
from schedule.models import AcademicYear, Enrollment, SchoolClass, Subject

Kind, Level, Result = Achievement.Kind, Achievement.Level, Achievement.Result

# (kind, title, subject name or "", level, result, note, days before today, with a scan). Data, not UI.
FIVE_A = [
    (Kind.OLYMPIAD, "Всероссийская олимпиада школьников по математике, школьный этап", "Математика", Level.SCHOOL,
     Result.WINNER, "1 место", 40, True),
    (Kind.OLYMPIAD, "Всероссийская олимпиада школьников по русскому языку, школьный этап", "Русский язык",
     Level.SCHOOL, Result.PRIZE_WINNER, "2 место", 35, False),
    (Kind.CONTEST, "Конкурс чтецов «Живая классика»", "Литература", Level.MUNICIPAL, Result.PARTICIPANT, "", 20,
     False),
    (Kind.PROJECT, "Проект «Птицы нашего двора»", "Окружающий мир", Level.SCHOOL, Result.WINNER,
     "лучший проект класса", 230, True),
    (Kind.SPORT, "Кросс «Золотая осень»", "Физическая культура", Level.MUNICIPAL, Result.PRIZE_WINNER, "3 место", 50,
     True),
    (Kind.CREATIVE, "Конкурс рисунков «Моя малая родина»", "Изобразительное искусство", Level.REGIONAL,
     Result.PRIZE_WINNER, "диплом II степени", 260, False),
    (Kind.OLYMPIAD, "Международная олимпиада «Кенгуру»", "Математика", Level.INTERNATIONAL, Result.PARTICIPANT, "",
     290, False),
    (Kind.CONTEST, "Всероссийский конкурс «Русский медвежонок»", "Русский язык", Level.NATIONAL, Result.WINNER,
     "1 место в регионе", 25, True),
]  # fmt: skip
# (class, kind, title, level, result, note, days before today) for a few other classes.
OTHERS = [
    ((6, "А"), Kind.OLYMPIAD, "Олимпиада по биологии, школьный этап", Level.SCHOOL, Result.PRIZE_WINNER, "2 место", 30),
    ((7, "Б"), Kind.SPORT, "Первенство района по мини-футболу", Level.MUNICIPAL, Result.WINNER, "1 место", 45),
    ((9, "А"), Kind.PROJECT, "Научно-практическая конференция «Шаг в науку»", Level.REGIONAL, Result.PARTICIPANT, "",
     15),
    ((11, "А"), Kind.OLYMPIAD, "Всероссийская олимпиада школьников по физике, региональный этап", Level.REGIONAL,
     Result.PRIZE_WINNER, "", 10),
]  # fmt: skip

# Folders: (name, roles or None for all staff, parent's name or None, documents: (kind, title, number, days ago)).
FOLDERS = [
    ("Приказы", None, None, [
        (Document.Kind.ORDER, "О режиме работы школы в 2026/2027 учебном году", "101-о", 80),
        (Document.Kind.ORDER, "О ведении электронного журнала и электронного дневника", "102-о", 79),
        (Document.Kind.ORDER, "О проведении школьного этапа всероссийской олимпиады школьников", "118-о", 60),
    ]),
    ("Положения", None, None, [
        (Document.Kind.REGULATION, "Положение о ведении электронного журнала", "", 200),
        (Document.Kind.REGULATION, "Положение о текущем контроле и промежуточной аттестации", "", 200),
        (Document.Kind.REGULATION, "Положение о портфолио обучающегося", "", 190),
    ]),
    ("Бланки и шаблоны", None, None, [
        (Document.Kind.FORM, "Заявление родителя об отказе от электронного дневника", "", 0),
        (Document.Kind.FORM, "Протокол пересдачи", "", 0),
    ]),
    ("Планы", None, None, []),
    ("2026/2027", None, "Планы", [
        (Document.Kind.PLAN, "План внутришкольного контроля", "", 75),
        (Document.Kind.PLAN, "План воспитательной работы", "", 75),
    ]),
    ("Кадровые документы", ("admin", "director", "deputy"), None, [
        (Document.Kind.ORDER, "О распределении учебной нагрузки", "95-к", 85),
        (Document.Kind.OTHER, "Штатное расписание", "", 85),
    ]),
]  # fmt: skip


def _staff(school: School, login: str, role: str) -> User | None:
    people = User.objects.filter(memberships__school=school, memberships__role=role).order_by("pk")
    return people.filter(username=login).first() or people.first()


def _pdfs(titles: list[tuple[str, str]]) -> list[bytes]:
    """One small A5 PDF per (heading, text), laid out in a single pass and cut into files."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    faces = "".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; src: url("{f.url}"); }}'
        for f in font_faces()
    )
    family = font_faces()[0].family
    pages = "".join(f"<section><h1>{escape(heading)}</h1><p>{escape(text)}</p></section>" for heading, text in titles)
    html = (
        f"<html><head><style>{faces} @page {{ size: A5; margin: 15mm; }} body {{ font-family: '{family}'; }}"
        f" section {{ page-break-after: always; }} h1 {{ font-size: 16pt; }}</style></head><body>{pages}</body></html>"
    )
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).render()
    return [document.copy([page]).write_pdf() for page in document.pages]


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@transaction.atomic
def add_portfolios_and_documents(*, school: School, year: AcademicYear, today: datetime.date) -> tuple[int, int]:
    """Returns how many achievements and documents were made."""
    if year.is_archived:
        return 0, 0
    made_achievements = 0 if Achievement.objects.filter(school=school).exists() else _achievements(school, year, today)
    made_documents = 0 if Folder.objects.filter(school=school).exists() else _documents(school, today)
    return made_achievements, made_documents


def _achievements(school: School, year: AcademicYear, today: datetime.date) -> int:
    rng = random.Random(f"portfolio-{school.pk}")  # noqa: S311 - demo data, not security
    classes = {
        (c.grade, c.letter): c
        for c in SchoolClass.objects.for_school(school).filter(year=year).select_related("class_teacher")
    }
    five_a = classes.get((5, "А"))
    if five_a is None or five_a.class_teacher is None:
        return 0
    maths_teacher = _staff(school, "teacher", Role.TEACHER)
    subjects = {s.name: s for s in Subject.objects.for_school(school)}

    def pupils_of(school_class: SchoolClass) -> list[User]:
        ids = Enrollment.objects.on(today).filter(school_class=school_class).values("pupil_id")
        return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk"))

    five_a_pupils = pupils_of(five_a)
    stable = next((p for p in five_a_pupils if p.username == "pupil"), None)
    # The stable pupil has most kinds; about two thirds of the class one to three entries; the rest none yet.
    plan: list[tuple[User, tuple]] = [(stable, entry) for entry in FIVE_A[:6]] if stable else []
    for pupil in five_a_pupils:
        if pupil is stable or rng.random() > 0.65:
            continue
        plan += [(pupil, entry) for entry in rng.sample(FIVE_A, rng.randint(1, 3))]
    scans = _pdfs(
        [
            ("Диплом", f"{pupil.get_full_name()} — {entry[1]}. {Result(entry[4]).label}. {entry[5]}".strip())
            for pupil, entry in plan
            if entry[7]
        ]
    )
    made = 0
    for pupil, (kind, title, subject, level, result, note, days, with_scan) in plan:
        day = max(today - datetime.timedelta(days=days), year.start - datetime.timedelta(days=365))
        author = five_a.class_teacher
        if subject == "Математика" and maths_teacher and may_write(maths_teacher, school.pk, pupil.pk):
            author = maths_teacher
        portfolio_services.achievement_add(
            actor=author,
            school=school,
            pupil=pupil,
            kind=kind,
            title=title,
            subject=subjects.get(subject),
            level=level,
            result=result,
            result_note=note,
            date=min(day, today),
            scan=_upload("диплом.pdf", scans.pop(0)) if with_scan else None,
        )
        made += 1
    for key, kind, title, level, result, note, days in OTHERS:
        school_class = classes.get(key)
        if school_class is None or school_class.class_teacher is None:
            continue
        for pupil in pupils_of(school_class)[:2]:
            portfolio_services.achievement_add(
                actor=school_class.class_teacher,
                school=school,
                pupil=pupil,
                kind=kind,
                title=title,
                level=level,
                result=result,
                result_note=note,
                date=max(today - datetime.timedelta(days=days), year.start),
            )
            made += 1
    return made


def _documents(school: School, today: datetime.date) -> int:
    deputy = _staff(school, "deputy", Role.DEPUTY)
    director = _staff(school, "director", Role.DIRECTOR)
    if deputy is None or director is None:
        return 0
    listed = [(name, doc) for name, _roles, _parent, docs in FOLDERS for doc in docs]
    files = _pdfs([(title, f"{name}. № {number}" if number else name) for name, (_k, title, number, _d) in listed])
    folders: dict[str, Folder] = {}
    made = 0
    for name, roles, parent, docs in FOLDERS:
        author = director if roles else deputy
        folders[name] = document_services.folder_create(
            actor=author,
            school=school,
            name=name,
            parent=folders.get(parent) if parent else None,
            **({"roles": roles} if roles else {}),
        )
        for index, (kind, title, number, days) in enumerate(docs, start=1):
            document = document_services.document_add(
                actor=author,
                folder=folders[name],
                title=title,
                kind=kind,
                number=number,
                dated=today - datetime.timedelta(days=days) if number or kind == Document.Kind.PLAN else None,
                upload=_upload(f"{name}-{index}.pdf", files.pop(0)),
            )
            made += 1
            if made == 1:
                # The first order was corrected once: its first file stays as an older version.
                document_services.document_update(
                    actor=director,
                    document=document,
                    title=document.title,
                    kind=document.kind,
                    number=document.number,
                    dated=document.dated,
                    upload=_upload(f"{name}-{index}-исправленный.pdf", _pdfs([(title, "Редакция от директора")])[0]),
                )
    return made
