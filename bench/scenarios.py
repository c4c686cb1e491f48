"""The benchmark's scenarios; every issue adds the pages and writes it cares about."""

from django.test import Client
from django.urls import reverse

from accounts.models import User

from .core import logged_in, scenario


@scenario("login", iterations=20, note="POST the login form (PBKDF2 hash included)")
def login(ctx):
    def request():
        client = Client()
        return client.post("/accounts/login/", {"username": "teacher", "password": ctx.password})

    return request


def _start_page(username: str):
    def prepare(ctx):
        client = logged_in(username, ctx.password)
        url = client.get("/", follow=True).redirect_chain[-1][0]
        return lambda: client.get(url)

    return prepare


for _role in ("admin", "deputy", "teacher", "class_teacher", "guardian", "pupil"):
    scenario(f"start_page[{_role}]")(_start_page(_role))


@scenario("class_page[class_teacher]", note="5А of the seeded school, with parents")
def class_page(ctx):
    client = logged_in("class_teacher", ctx.password)
    user = User.objects.get(username="class_teacher")
    url = reverse("schedule:class_detail", args=[user.led_classes.get().pk])
    return lambda: client.get(url)


@scenario("people_list[admin,pupils]", note="50 of 1,000 pupils with their classes")
def people_list(ctx):
    client = logged_in("admin", ctx.password)
    url = reverse("schedule:people_list") + "?tab=pupils&page=3"
    return lambda: client.get(url)


@scenario("people_search[admin]", note="search by a surname over all pupils")
def people_search(ctx):
    client = logged_in("admin", ctx.password)
    url = reverse("schedule:people_list") + "?tab=pupils&q=%D0%98%D0%B2%D0%B0%D0%BD"
    return lambda: client.get(url)


@scenario("person_page[class_teacher]", note="a pupil with consents, classes and parents")
def person_page(ctx):
    client = logged_in("class_teacher", ctx.password)
    url = reverse("schedule:person_detail", args=[User.objects.get(username="pupil").pk])
    return lambda: client.get(url)
