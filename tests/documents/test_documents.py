"""The school's document store (R-G06 «хранилища школьных документов», seed 004 §3.1 п.6, §4.1 п.14): folders read
by the staff roles they name, kept by the administration; families never see it (R-A06, R-A07); files leave only
through permission-checked, audited downloads; nothing is lost when a file is replaced or a document removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEntry
from documents import services
from documents.models import Document, Folder
from documents.services import DocumentsError
from tests.matrix.documents import administration_document, administration_folder, order, pdf, staff_folder


def _upload_form(**overrides) -> dict:
    return {"title": "Положение о портфолио", "kind": "regulation", "number": "", "dated": ""} | overrides


# --- Who reads (R-G06; R-A06, R-A07) ------------------------------------------------------------------------------


def test_teachers_read_the_folders_open_to_teachers_and_not_the_administrations_R_G06(world, client):
    order(world)
    secret = administration_document(world)
    client.force_login(world.teacher)
    page = client.get(reverse("documents:index")).content.decode()
    assert "Приказы" in page and "Кадровые приказы" not in page
    page = client.get(reverse("documents:folder", args=[staff_folder(world).pk])).content.decode()
    assert "О режиме работы школы" in page and "№ 45-о" in page
    assert client.get(reverse("documents:folder", args=[administration_folder(world).pk])).status_code == 403
    assert client.get(reverse("documents:document_download", args=[secret.pk])).status_code == 403
    # The search finds nothing of a folder the teacher does not read.
    page = client.get(reverse("documents:index"), {"q": "расписание"}).content.decode()
    assert "Штатное расписание" not in page and "Ничего не найдено" in page


@pytest.mark.parametrize("role", ["admin", "director", "deputy"])
def test_the_administration_reads_its_own_folder_R_G06(world, client, role):
    secret = administration_document(world)
    client.force_login(getattr(world, role))
    assert "Кадровые приказы" in client.get(reverse("documents:index")).content.decode()
    assert client.get(reverse("documents:document_download", args=[secret.pk])).status_code == 200
    assert "Штатное расписание" in client.get(reverse("documents:index"), {"q": "штатное"}).content.decode()


def test_a_folder_for_the_director_alone_is_closed_to_the_admin_and_the_deputy_R_G06(world, client):
    folder = services.folder_create(actor=world.director, school=world.school, name="Личные дела", roles=["director"])
    for user, status in ((world.director, 200), (world.admin, 403), (world.deputy, 403), (world.teacher, 403)):
        client.force_login(user)
        assert client.get(reverse("documents:folder", args=[folder.pk])).status_code == status, user
    with pytest.raises(DocumentsError):
        services.document_add(actor=world.deputy, folder=folder, title="Приказ", upload=pdf())


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_families_never_see_the_store_R_A06_R_A07(world, client, role):
    document = order(world)
    client.force_login(getattr(world, role))
    assert client.get(reverse("documents:index")).status_code == 403
    assert client.get(reverse("documents:folder", args=[document.folder_id])).status_code == 403
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 403
    assert "Документы школы" not in client.get(reverse("diary:home"), follow=True).content.decode()


def test_another_schools_folders_and_documents_are_not_found(world, client):
    document = order(world)
    history_id = Document.history.filter(id=document.pk).earliest("history_id").history_id
    client.force_login(world.foreign_teacher)
    for url in (
        reverse("documents:folder", args=[document.folder_id]),
        reverse("documents:document_download", args=[document.pk]),
        reverse("documents:version_download", args=[document.pk, history_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert "О режиме работы школы" not in client.get(reverse("documents:index"), {"q": "режим"}).content.decode()
    index = client.get(reverse("documents:index")).content.decode()
    assert reverse("documents:folder", args=[document.folder_id]) not in index


def test_the_download_is_an_audited_attachment(world, client):
    document = order(world)
    client.force_login(world.teacher)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the corrected order"
    entry = AuditEntry.objects.get(action="audit.download", actor=world.teacher)
    assert entry.data["view"] == "documents:document_download"


# --- Who keeps it (R-G06) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian", "foreign_teacher"])
def test_only_the_administration_keeps_the_store_R_G06(world, client, role):
    folder = staff_folder(world)
    with pytest.raises(DocumentsError):
        services.folder_create(actor=getattr(world, role), school=world.school, name="Моя папка")
    with pytest.raises(DocumentsError):
        services.document_add(actor=getattr(world, role), folder=folder, title="Приказ", upload=pdf())
    client.force_login(getattr(world, role))
    assert client.post(reverse("documents:folder_new"), {"name": "Моя", "roles": ["teacher"]}).status_code == 403
    response = client.post(reverse("documents:document_new", args=[folder.pk]), _upload_form(file=pdf()))
    assert response.status_code in (403, 404)
    assert not Document.objects.exists() and Folder.objects.count() == 1


def test_the_deputy_uploads_replaces_and_removes_and_nothing_is_lost_R_G06(world, client):
    folder = staff_folder(world)
    client.force_login(world.deputy)
    response = client.post(
        reverse("documents:document_new", args=[folder.pk]),
        _upload_form(number="12", dated="01.09.2026", file=pdf("положение.pdf", b"%PDF-1.4 first")),
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.number, document.file_name, document.uploaded_by) == (
        "Положение о портфолио",
        "12",
        "положение.pdf",
        world.deputy,
    )
    client.force_login(world.director)
    response = client.post(
        reverse("documents:document_edit", args=[document.pk]),
        _upload_form(number="12", folder=folder.pk, file=pdf("положение-2.pdf", b"%PDF-1.4 second")),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.file_name, document.uploaded_by) == ("положение-2.pdf", world.director)
    page = client.get(reverse("documents:folder", args=[folder.pk])).content.decode()
    assert "1 прежняя версия" in page
    first = Document.history.filter(id=document.pk).earliest("history_id")
    response = client.get(reverse("documents:version_download", args=[document.pk, first.history_id]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 first"
    client.force_login(world.admin)
    assert client.post(reverse("documents:document_delete", args=[document.pk])).status_code == 302
    assert not Document.objects.exists()
    rows = list(Document.history.filter(id=document.pk).order_by("history_id"))
    assert [(r.history_type, r.history_user, r.file_name) for r in rows] == [
        ("+", world.deputy, "положение.pdf"),
        ("~", world.director, "положение-2.pdf"),
        ("-", world.admin, "положение-2.pdf"),
    ]


# --- Upload checks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("приказ.exe", b"MZ\x90\x00"), "Файлы такого вида не принимаются"),
        (SimpleUploadedFile("приказ.pdf", b"<html>a web page</html>"), "не соответствует его расширению"),
        (SimpleUploadedFile("приказ.docx", b"%PDF-1.4"), "не соответствует его расширению"),
    ],
)
def test_a_file_of_another_kind_is_refused_in_russian(world, client, upload, message):
    client.force_login(world.deputy)
    response = client.post(reverse("documents:document_new", args=[staff_folder(world).pk]), _upload_form(file=upload))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Document.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_in_russian(world, client):
    client.force_login(world.deputy)
    content = b"%PDF-1.4" + b"0" * (1024 * 1024)
    big = SimpleUploadedFile("план.pdf", content)
    response = client.post(reverse("documents:document_new", args=[staff_folder(world).pk]), _upload_form(file=big))
    assert response.status_code == 422
    assert "Файл больше 1 МБ" in response.content.decode()
    with pytest.raises(DocumentsError, match="больше 1 МБ"):
        services.document_add(
            actor=world.deputy, folder=staff_folder(world), title="План", upload=SimpleUploadedFile("план.pdf", content)
        )
    assert not Document.objects.exists()


def test_an_upload_without_a_file_or_a_title_says_so(world, client):
    client.force_login(world.deputy)
    response = client.post(reverse("documents:document_new", args=[staff_folder(world).pk]), _upload_form(title=""))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Выберите файл для загрузки" in page and "Укажите название документа" in page


# --- Folders -------------------------------------------------------------------------------------------------------


def test_a_subfolder_is_never_open_to_more_roles_than_its_folder_R_G06(world):
    top = administration_folder(world)
    with pytest.raises(DocumentsError, match="не может быть доступна большему кругу"):
        services.folder_create(actor=world.deputy, school=world.school, name="Для всех", parent=top)
    plans = services.folder_create(actor=world.deputy, school=world.school, name="Планы")
    year = services.folder_create(actor=world.deputy, school=world.school, name="2026/2027", parent=plans)
    services.folder_update(actor=world.deputy, folder=plans, name="Планы", roles=["director", "deputy"])
    year.refresh_from_db()
    assert year.reader_roles == {"director", "deputy"}
    assert year.history.latest().history_user == world.deputy


def test_folder_rules_depth_names_own_role_and_emptiness(world, client):
    a = services.folder_create(actor=world.deputy, school=world.school, name="А")
    b = services.folder_create(actor=world.deputy, school=world.school, name="Б", parent=a)
    c = services.folder_create(actor=world.deputy, school=world.school, name="В", parent=b)
    with pytest.raises(DocumentsError, match="не больше 3 уровней"):
        services.folder_create(actor=world.deputy, school=world.school, name="Г", parent=c)
    with pytest.raises(DocumentsError, match="уже есть папка"):
        services.folder_create(actor=world.deputy, school=world.school, name=" а ")
    with pytest.raises(DocumentsError, match="Оставьте папку доступной своей роли"):
        services.folder_create(actor=world.deputy, school=world.school, name="Учителям", roles=["teacher"])
    services.document_add(actor=world.deputy, folder=c, title="Бланк", upload=pdf())
    client.force_login(world.admin)
    response = client.post(reverse("documents:folder_delete", args=[b.pk]), follow=True)
    assert "не пуста" in response.content.decode()
    assert Folder.objects.filter(pk=b.pk).exists()


def test_the_admin_creates_a_folder_through_the_page_open_to_all_staff_by_default(world, client):
    client.force_login(world.admin)
    form = client.get(reverse("documents:folder_new")).content.decode()
    assert form.count("checked") == 4  # all staff by default
    response = client.post(
        reverse("documents:folder_new"), {"name": "Бланки", "roles": ["admin", "director", "deputy", "teacher"]}
    )
    assert response.status_code == 302
    folder = Folder.objects.get()
    assert (folder.name, folder.reader_roles, folder.created_by) == (
        "Бланки",
        {"admin", "director", "deputy", "teacher"},
        world.admin,
    )


# --- Pages take the same queries -------------------------------------------------------------------------------


def test_the_store_pages_take_the_same_queries_however_many_documents(world, client, django_assert_max_num_queries):
    folder = staff_folder(world)
    order(world)
    client.force_login(world.teacher)
    urls = [
        reverse("documents:index"),
        reverse("documents:folder", args=[folder.pk]),
        reverse("documents:index") + "?q=приказ",
    ]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(10) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(6):
        sub = services.folder_create(actor=world.deputy, school=world.school, name=f"Папка {n}", parent=folder)
        document = services.document_add(actor=world.deputy, folder=folder, title=f"Приказ {n}", upload=pdf())
        services.document_update(
            actor=world.deputy, document=document, title=document.title, kind="order", upload=pdf()
        )
        services.document_add(actor=world.deputy, folder=sub, title=f"Приказ в папке {n}", upload=pdf())
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
