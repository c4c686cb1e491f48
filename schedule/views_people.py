"""People of the school: staff, pupils and parents, their consents and links (R-B08..B10)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services as accounts_services
from accounts.access import access
from accounts.decorators import school_member_required, school_permission_required
from accounts.models import (
    READER_ROLES,
    GuardianLink,
    GuardianProfile,
    Membership,
    PersonalDataConsent,
    Role,
    User,
)
from accounts.services import AccountsError, ConsentData, NewPerson
from ejournal.clock import today

from .forms_people import (
    ConsentAddForm,
    DiaryChoiceForm,
    GuardianCreateForm,
    GuardianLinkForm,
    PeopleSearchForm,
    PersonForm,
    PupilCreateForm,
    StaffCreateForm,
)
from .models import Enrollment, SchoolClass
from .selectors import current_year, led_classes
from .services import ScheduleError
from .services import classes as class_services

PAGE_SIZE = 50
TAB_ROLES = {"staff": (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER), "pupils": (Role.PUPIL,),
             "guardians": (Role.GUARDIAN,)}  # fmt: skip


def _is_reader(request) -> bool:
    return bool(access(request.user).roles_in(request.school.pk) & READER_ROLES)


def _family_filter(class_ids, day) -> Q:
    """Pupils enrolled on the day in these classes, and their parents."""
    pupils = Enrollment.objects.on(day).filter(school_class_id__in=class_ids).values("pupil_id")
    guardians = GuardianLink.objects.filter(pupil_id__in=pupils).values("guardian_id")
    return Q(pk__in=pupils) | Q(pk__in=guardians)


def _new_person(data, roles) -> NewPerson:
    return NewPerson(
        last_name=data["last_name"],
        first_name=data["first_name"],
        middle_name=data["middle_name"],
        birth_date=data["birth_date"],
        email=data["email"],
        phone=data["phone"],
        roles=tuple(roles),
        consent=ConsentData(
            signed_by=data["consent_signed_by"], signed_on=data["consent_signed_on"], document=data["consent_document"]
        ),
    )


@require_GET
@school_permission_required("accounts.view_people")
def people_list(request):
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    reader = _is_reader(request)
    tabs = list(TAB_ROLES) if reader else ["pupils", "guardians"]
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else tabs[0]
    classes = SchoolClass.objects.for_school(school).filter(year=year)
    if not reader:
        classes = classes.filter(pk__in=led_classes(request.user))
    form = PeopleSearchForm(request.GET or None, classes=classes)
    people = User.objects.filter(
        pk__in=Membership.objects.for_school(school).filter(role__in=TAB_ROLES[tab]).values("user_id")
    )
    if not reader:
        people = people.filter(_family_filter(led_classes(request.user), day))
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        for word in q.split():
            people = people.filter(
                Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(username__icontains=word)
            )
        if form.cleaned_data["school_class"] is not None and tab != "staff":
            people = people.filter(_family_filter([form.cleaned_data["school_class"].pk], day))
    current_class = (
        Enrollment.objects.on(day)
        .filter(pupil=OuterRef("pk"), school_class__year=year)
        .annotate(name=Concat(Cast("school_class__grade", CharField()), "school_class__letter"))
        .values("name")[:1]
    )
    people = people.annotate(class_name=Subquery(current_class) if tab == "pupils" else Value("")).only(
        "username", "last_name", "first_name", "middle_name", "birth_date", "email", "phone", "last_login"
    )
    page = Paginator(people.order_by("last_name", "first_name", "middle_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schedule/people/list.html",
        {
            "tab": tab,
            "tabs": tabs,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("accounts.add_person"),
            "can_import": request.user.has_perm("accounts.import_people"),
        },
    )


def _person(request, person_id) -> User:
    members = Membership.objects.for_school(request.school).values("user_id")
    person = get_object_or_404(User.objects.filter(pk__in=members), pk=person_id)
    if not request.user.has_perm("accounts.view_person", person):
        raise PermissionDenied
    return person


@require_GET
@school_member_required
def person_detail(request, person_id: int):
    school = request.school
    person = _person(request, person_id)
    roles = set(Membership.objects.for_school(school).filter(user=person).values_list("role", flat=True))
    can_edit = request.user.has_perm("accounts.change_person", person)
    profile = GuardianProfile.objects.for_school(school).filter(guardian=person).first()
    context = {
        "person": person,
        "roles": [label for value, label in Role.choices if value in roles],
        "is_pupil": Role.PUPIL in roles,
        "is_guardian": Role.GUARDIAN in roles,
        "consents": PersonalDataConsent.objects.for_school(school).filter(person=person).select_related("recorded_by"),
        "enrollments": Enrollment.objects.for_school(school)
        .filter(pupil=person)
        .select_related("school_class", "school_class__year")
        .order_by("-since"),
        "guardians": GuardianLink.objects.for_school(school).filter(pupil=person).select_related("guardian"),
        "children": GuardianLink.objects.for_school(school).filter(guardian=person).select_related("pupil"),
        "profile": profile,
        "can_edit": can_edit,
        # A closed login (a parent who opted out without one) gets no credentials: the page would answer 404.
        "can_issue": person.is_active and request.user.has_perm("accounts.issue_credentials", person),
    }
    if can_edit:
        context["consent_form"] = ConsentAddForm(initial={"signed_on": today(school.timezone)})
        if Role.GUARDIAN in roles:
            context["diary_form"] = DiaryChoiceForm(
                initial={
                    "diary_opt_out": profile.diary_opt_out if profile else False,
                    "paper_channel": profile.paper_channel if profile else GuardianProfile.PaperChannel.IN_PERSON,
                    "postal_address": profile.postal_address if profile else "",
                    "keeps_account": profile.keeps_account if profile else True,
                }
            )
    return render(request, "schedule/people/detail.html", context)


@require_http_methods(["GET", "POST"])
@school_member_required
def person_edit(request, person_id: int):
    person = _person(request, person_id)
    if not request.user.has_perm("accounts.change_person", person):
        raise PermissionDenied
    initial = {
        f: getattr(person, f) for f in ("last_name", "first_name", "middle_name", "birth_date", "email", "phone")
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accounts_services.person_update(
                actor=request.user, school=request.school, person=person, **form.cleaned_data
            )
        except AccountsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("schedule:person_detail", person_id=person.pk)
    return render(request, "schedule/people/form.html", {"form": form, "person": person})


@require_POST
@school_member_required
def consent_add(request, person_id: int):
    person = _person(request, person_id)
    if not request.user.has_perm("accounts.change_person", person):
        raise PermissionDenied
    form = ConsentAddForm(request.POST)
    if form.is_valid():
        try:
            accounts_services.consent_record(
                actor=request.user, school=request.school, person=person, consent=ConsentData(**form.cleaned_data)
            )
        except AccountsError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The consent is recorded."))
    else:
        messages.error(request, _("Fill in the document, the date and who signed the consent."))
    return redirect("schedule:person_detail", person_id=person.pk)


@require_POST
@school_member_required
def diary_choice(request, person_id: int):
    person = _person(request, person_id)
    if not request.user.has_perm("accounts.change_person", person):
        raise PermissionDenied
    form = DiaryChoiceForm(request.POST)
    if form.is_valid():
        try:
            accounts_services.guardian_profile_set(
                actor=request.user, school=request.school, guardian=person, **form.cleaned_data
            )
        except AccountsError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the form."))
    return redirect("schedule:person_detail", person_id=person.pk)


@require_http_methods(["GET", "POST"])
@school_permission_required("accounts.add_person")
def staff_add(request):
    form = StaffCreateForm(request.POST or None, initial={"roles": [Role.TEACHER]})
    if request.method == "POST" and form.is_valid():
        try:
            person = accounts_services.person_create(
                actor=request.user,
                school=request.school,
                person=_new_person(form.cleaned_data, form.cleaned_data["roles"]),
            )
        except AccountsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("%(name)s is added with the login %(login)s.") % {"name": person, "login": person.username}
            )
            return redirect("schedule:person_detail", person_id=person.pk)
    return render(request, "schedule/people/form.html", {"form": form, "title": _("New staff member")})


@require_http_methods(["GET", "POST"])
@school_permission_required("accounts.add_person")
def pupil_add(request):
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    classes = SchoolClass.objects.for_school(request.school).filter(year=year)
    form = PupilCreateForm(
        request.POST or None, classes=classes, initial={"since": max(day, year.start) if year else day}
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = class_services.pupil_admit(
                actor=request.user,
                school_class=form.cleaned_data["school_class"],
                person=_new_person(form.cleaned_data, [Role.PUPIL]),
                since=form.cleaned_data["since"],
            )
        except (AccountsError, ScheduleError) as e:
            form.add_error(None, e.message)
        else:
            pupil = enrollment.pupil
            messages.success(
                request, _("%(name)s is added with the login %(login)s.") % {"name": pupil, "login": pupil.username}
            )
            return redirect("schedule:person_detail", person_id=pupil.pk)
    return render(request, "schedule/people/form.html", {"form": form, "title": _("New pupil")})


def _pupil(request, pupil_id) -> User:
    pupils = Membership.objects.for_school(request.school).filter(role=Role.PUPIL).values("user_id")
    pupil = get_object_or_404(User.objects.filter(pk__in=pupils), pk=pupil_id)
    if not request.user.has_perm("accounts.change_person", pupil):
        raise PermissionDenied
    return pupil


@require_http_methods(["GET", "POST"])
@school_member_required
def guardian_add(request, pupil_id: int):
    pupil = _pupil(request, pupil_id)
    form = GuardianCreateForm(request.POST or None)
    link_form = GuardianLinkForm()
    if request.method == "POST" and form.is_valid():
        try:
            accounts_services.guardian_admit(
                actor=request.user,
                school=request.school,
                pupil=pupil,
                person=_new_person(form.cleaned_data, [Role.GUARDIAN]),
                relation=form.cleaned_data["relation"],
            )
        except AccountsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The parent is added."))
            return redirect("schedule:person_detail", person_id=pupil.pk)
    return render(request, "schedule/people/guardian_add.html", {"form": form, "link_form": link_form, "pupil": pupil})


@require_POST
@school_member_required
def guardian_link(request, pupil_id: int):
    pupil = _pupil(request, pupil_id)
    form = GuardianLinkForm(request.POST)
    if form.is_valid():
        guardians = Membership.objects.for_school(request.school).filter(role=Role.GUARDIAN).values("user_id")
        guardian = User.objects.filter(pk__in=guardians, username__iexact=form.cleaned_data["login"].strip()).first()
        if guardian is None:
            messages.error(request, _("There is no parent with this login in the school."))
        else:
            try:
                accounts_services.guardian_link(
                    actor=request.user,
                    school=request.school,
                    guardian=guardian,
                    pupil=pupil,
                    relation=form.cleaned_data["relation"],
                )
            except AccountsError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("%(name)s is linked.") % {"name": guardian})
                return redirect("schedule:person_detail", person_id=pupil.pk)
    else:
        messages.error(request, _("Give the parent's login."))
    return redirect("schedule:guardian_add", pupil_id=pupil.pk)
