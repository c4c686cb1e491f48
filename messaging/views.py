"""Internal mail's pages (R-I08): the inbox, a thread, a new message to a person or a group, a reply, a file, the
email choice. A thread is fetched through the user's own threads (anyone else's is 404, nothing leaks); who may
write to whom is asked of the permission layer; each write is one service of messaging/services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import User
from ejournal.clock import today
from schedule.models import SchoolClass

from . import services
from .errors import MessagingError
from .forms import MessagingSettingsForm, NewMessageForm, ReplyForm
from .models import Attachment, Thread
from .selectors import (
    Audience,
    audiences,
    inbox_threads,
    people_to_write,
    thread_messages,
    thread_participants,
    user_threads,
)

PER_PAGE = 20


@require_GET
@school_permission_required("messaging.use")
def inbox(request):
    page = Paginator(inbox_threads(user=request.user, school=request.school), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for thread in page.object_list:
        thread.others = [p.user for p in thread.participants.all() if p.user_id != request.user.pk]
    return render(request, "messaging/inbox.html", {"page": page})


def _choices(request) -> list:
    groups = [
        (label, [(c.value, c.label) for c in people])
        for label, people in people_to_write(request.user, request.school, today(request.school.timezone))
    ]
    found = audiences(request.user, request.school)
    if found:
        groups.insert(0, (_("Groups"), [(a.token, a.label) for a in found]))
    return groups


def _new_page(request, form, status: int = 200):
    return render(request, "messaging/new.html", {"form": form}, status=status)


def _person(request, user_id: int) -> User:
    """A person of this school; anyone else does not exist here."""
    return get_object_or_404(
        User.objects.filter(memberships__school=request.school, is_active=True).distinct(), pk=user_id
    )


def _audience(request, kind: str, class_id: str | None) -> Audience:
    if class_id is None:
        return Audience(kind)
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year"), pk=int(class_id)
    )
    return Audience(kind, school_class)


@require_http_methods(["GET", "POST"])
@school_permission_required("messaging.use")
def new(request):
    """A message to one person (a new thread) or to a group (a thread per family)."""
    initial = {"to": f"u:{request.GET['to']}"} if request.GET.get("to", "").isdigit() else {}
    form = NewMessageForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        choices=_choices(request),
        initial=initial,
    )
    if request.method == "GET":
        return _new_page(request, form)
    if form.is_valid():
        data, target = form.cleaned_data, form.cleaned_data["to"]
        try:
            if target["user"]:
                recipient = _person(request, int(target["user"]))
                if not request.user.has_perm("messaging.write_to", recipient):
                    raise PermissionDenied
                thread = services.message_send(
                    actor=request.user,
                    school=request.school,
                    recipient=recipient,
                    subject=data["subject"],
                    text=data["text"],
                    uploads=data["files"],
                )
                messages.success(request, _("The message is sent."))
                return redirect("messaging:thread", thread_id=thread.pk)
            audience = _audience(request, target["kind"], target["cls"])
            if not request.user.has_perm("messaging.write_to_group", audience):
                raise PermissionDenied
            threads = services.group_send(
                actor=request.user,
                school=request.school,
                audience=audience,
                subject=data["subject"],
                text=data["text"],
                uploads=data["files"],
            )
        except MessagingError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The message to «%(group)s» is sent: %(count)s conversation, each family answers you privately.",
                    "The message to «%(group)s» is sent: %(count)s conversations, each family answers you privately.",
                    len(threads),
                )
                % {"group": audience.label, "count": len(threads)},
            )
            return redirect("messaging:inbox")
    return _new_page(request, form, status=422)


def _thread(request, thread_id: int) -> Thread:
    """One of the user's own threads of this school: any other thread is 404, whoever asks."""
    thread = get_object_or_404(user_threads(user=request.user, school=request.school), pk=thread_id)
    if not request.user.has_perm("messaging.view_thread", thread):
        raise Http404
    return thread


def _thread_page(request, thread: Thread, form: ReplyForm, status: int = 200):
    participants = thread_participants(thread=thread)
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "thread_messages": thread_messages(thread=thread),
            "others": [p for p in participants if p.pk != request.user.pk],
            "form": form,
            "can_reply": request.user.has_perm("messaging.reply", thread),
        },
        status=status,
    )


@require_GET
@school_member_required
def thread(request, thread_id: int):
    thread = _thread(request, thread_id)
    services.thread_read(actor=request.user, thread=thread)
    return _thread_page(request, thread, ReplyForm())


@require_POST
@school_member_required
def reply(request, thread_id: int):
    thread = _thread(request, thread_id)
    if not request.user.has_perm("messaging.reply", thread):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.reply(
                actor=request.user, thread=thread, text=form.cleaned_data["text"], uploads=form.cleaned_data["files"]
            )
        except MessagingError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The answer is sent."))
            return redirect(f"{reverse('messaging:thread', args=[thread.pk])}#m{message.pk}")
    return _thread_page(request, thread, form, status=422)


@require_GET
@school_member_required
def attachment(request, attachment_id: int):
    """A file of a message, to the thread's participants only (anyone else: 404)."""
    found = get_object_or_404(
        Attachment.objects.for_school(request.school)
        .filter(message__thread__participants__user=request.user)
        .select_related("message__thread"),
        pk=attachment_id,
    )
    if not request.user.has_perm("messaging.view_thread", found.message.thread):
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=found.name)


@require_http_methods(["GET", "POST"])
@school_permission_required("messaging.change_settings")
def email_settings(request):
    """A person's own choice: an email for each new message, or none."""
    current = services.messaging_choice(school=request.school, user=request.user)
    form = MessagingSettingsForm(
        request.POST if request.method == "POST" else None, initial={"email_each": current.email_each}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.messaging_settings_set(
                    actor=request.user, school=request.school, email_each=form.cleaned_data["email_each"]
                )
            except MessagingError as e:
                form.add_error("email_each", e.message)
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("messaging:settings")
        status = 422
    return render(
        request,
        "messaging/settings.html",
        {"form": form, "current": current, "email": request.user.email},
        status=status,
    )
