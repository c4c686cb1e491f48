"""Files of people as schools have them, generated for the import and export tests (no binary fixtures).

Names stay clear of tests/factories.py's, so that the world's personas are never taken for the file's people."""

import csv
import datetime
import io

from openpyxl import Workbook

from schedule.imports import headers

PUPILS = headers("pupils")
STAFF = headers("staff")
CONSENT_DAY = "01.09.2026"


def parent(last, first, middle="", *, relation="мать", email="", phone="", consent="Согласие № 2", day=CONSENT_DAY):
    return {"Фамилия": last, "Имя": first, "Отчество": middle, "Кем приходится": relation, "Email": email,
            "Телефон": phone, "Согласие": consent, "Дата согласия": day}  # fmt: skip


def pupil(
    last="Смирнова",
    first="Алёна",
    middle="Игоревна",
    *,
    birth="05.03.2015",
    cls="5А",
    email="",
    phone="",
    consent="Согласие № 1",
    day=CONSENT_DAY,
    signed_by="мать",
    parents=(),
) -> dict:
    row = {"Фамилия": last, "Имя": first, "Отчество": middle, "Дата рождения": birth, "Класс": cls, "Email": email,
           "Телефон": phone, "Согласие на обработку ПД (документ)": consent, "Дата согласия": day,
           "Кем подписано согласие": signed_by}  # fmt: skip
    for n, p in enumerate(parents, start=1):
        row.update({f"Родитель {n}: {k}": v for k, v in p.items()})
    return row


def staff(last="Зайцева", first="Ольга", middle="Ивановна", *, birth="12.04.1980", roles="учитель", email="",
          phone="", consent="Согласие № 3", day=CONSENT_DAY) -> dict:  # fmt: skip
    return {"Фамилия": last, "Имя": first, "Отчество": middle, "Дата рождения": birth, "Роли": roles,
            "Email": email, "Телефон": phone, "Согласие": consent, "Дата согласия": day}  # fmt: skip


def rows(columns: list[str], people: list[dict]) -> list[list]:
    return [[p.get(c, "") for c in columns] for p in people]


def as_csv(columns, people, *, encoding="cp1251", delimiter=";", bom=False, title=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow([title])
        writer.writerow([])
    writer.writerow(columns)
    writer.writerows(rows(columns, people))
    data = out.getvalue().encode(encoding)
    return ("\ufeff".encode(encoding) if bom else b"") + data


def as_xlsx(columns, people, *, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(columns)
    for r in rows(columns, people):
        sheet.append(r)
    book.create_sheet("Пояснения").append(["Этот лист не читается"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SURNAMES = ["Фёдоров", "Голубев-Римский", "Ёжиков", "Петров-Водкин", "Кузнецов", "Семёнов", "Орлов", "Лебедев",
            "Журавлёв", "Королёв"]  # fmt: skip
FIRST_NAMES = ["Алёна", "Пётр", "Мария", "Артём", "Фёдор", "Дарья", "Семён", "Ксения", "Лев", "Матвей"]
MIDDLE_NAMES = ["Петрович", "Сергеевна", "Алексеевич", "Ильинична", "Фёдорович"]
MOTHERS = ["Ольга", "Анна", "Ирина", "Елена", "Светлана", "Татьяна", "Наталья"]
FATHERS = ["Андрей", "Сергей", "Илья", "Павел", "Дмитрий"]


SECOND = ["Римская", "Бельская", "Водкина", "Щедрина"]


def many_pupils(n: int, classes=("5А", "5Б")) -> list[dict]:
    """n pupils, each with a mother, every other one with a father too; every tenth is the younger sibling of the
    pupil before (the same parents, recognised by name and phone). Every third pupil has a double surname."""
    people = []
    family = None
    for i in range(n):
        if i % 10 != 9 or family is None:
            surname = SURNAMES[i % len(SURNAMES)] + (f"-{SECOND[i % len(SECOND)]}" if i % 3 == 0 else "")
            mother = parent(surname, MOTHERS[i % len(MOTHERS)], "Ивановна", phone=f"+7 912 {i:03d}-00-01",
                            email=f"mother{i}@example.org")  # fmt: skip
            father = parent(surname, FATHERS[i % len(FATHERS)], "Олегович", relation="отец",
                            phone=f"8 (913) {i:03d}-00-02")  # fmt: skip
            family = (surname, (mother, father) if i % 2 else (mother,))
        surname, parents = family
        birth = datetime.date(2013, 1, 1) + datetime.timedelta(days=i)
        people.append(
            pupil(
                surname,
                FIRST_NAMES[i % len(FIRST_NAMES)],
                MIDDLE_NAMES[(i // 10) % len(MIDDLE_NAMES)],
                birth=birth.strftime("%d.%m.%Y"),
                cls=classes[i % len(classes)],
                consent=f"Согласие № {i + 1}",
                parents=parents,
            )
        )
    return people
