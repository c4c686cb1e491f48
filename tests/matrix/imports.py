"""Permission-matrix rows of the import and export of people (R-B08): the admin's pages."""

from schedule import imports

from . import LOGIN, REDIRECT, Case, only


def job(w):
    """An import of the world's school, made once per world."""
    if not hasattr(w, "_import_job"):
        content = "Фамилия;Имя;Дата рождения;Класс;Согласие;Дата согласия;Кем подписано согласие\r\n".encode()
        content += "Смирнова;Алёна;08.03.2015;5А;Согласие № 1;01.09.2026;мать\r\n".encode()
        w._import_job, _report = imports.import_upload(
            actor=w.admin, school=w.school, kind="pupils", filename="a.csv", content=content
        )
    return {"job_id": w._import_job.pk}


ROWS: dict[str, list[Case]] = {
    "schedule:import_upload": [Case("form and past imports", only("admin"))],
    "schedule:import_preview": [Case("own school's import", only("admin"), kwargs=job)],
    "schedule:import_apply": [Case("own school's import", only("admin", ok=REDIRECT), kwargs=job, method="post")],
    "schedule:import_template": [Case("template", only("admin"), kwargs=lambda w: {"kind": "staff", "fmt": "csv"})],
    "schedule:export_index": [Case("export page", only("admin"))],
    "schedule:export_staff": [Case("staff list", only("admin"), kwargs=lambda w: {"fmt": "csv"})],
    "schedule:export_pupils": [Case("pupils list", only("admin"), kwargs=lambda w: {"fmt": "xlsx"})],
    "schedule:export_class_pupils": [
        Case(
            "own school's class",
            only("admin") | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.school_class.pk, "fmt": "csv"},
        ),
        Case(
            "a class of another school",
            only(default=404, anonymous=LOGIN) | {"foreign_teacher": 403},
            kwargs=lambda w: {"class_id": w.foreign_class.pk, "fmt": "csv"},
        ),
    ],
}
