from django import forms

from ejournal.widgets import FlatSelect


class Choose(forms.Form):
    who = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, widget=FlatSelect,
        choices=[("", "все"), (7, "Иванова А. <Б>"), (12, "Петров")],
    )  # fmt: skip


def test_a_flat_select_writes_every_option_escaped_and_keeps_the_choice():
    html = str(Choose({"who": "12"})["who"])
    assert html.startswith('<select name="who" id="id_who">')
    assert '<option value="">все</option>' in html
    assert '<option value="7">Иванова А. &lt;Б&gt;</option>' in html
    assert '<option value="12" selected>Петров</option>' in html
    assert html.count("selected") == 1
