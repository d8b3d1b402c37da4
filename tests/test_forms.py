"""Shared form pieces."""
from __future__ import annotations

from wtforms import Choice, Form
from wtforms.widgets import Select

from portal.forms import IdSelectField, OptionsSelect, choices

CHOICES = choices([("", "Toute la métropole"), (3, 'Amiens "Nord" & <Étouvie>'), (12, "Salouël")])


class Places(Form):
    place = IdSelectField("Où ?", choices=CHOICES)
    same_by_wtforms = IdSelectField("Où ?", choices=CHOICES, widget=Select())


def test_a_place_list_is_written_as_wtforms_writes_it():
    """The listing's place and theme lists skip WTForms' per-option attribute builder: the
    HTML must stay what WTForms wrote, selected option and escaping included."""
    form = Places(data={"place": 3, "same_by_wtforms": 3})
    assert isinstance(form.place.widget, OptionsSelect)
    ours = form.place(id="x", required=True)
    theirs = str(form.same_by_wtforms(id="x", required=True)).replace(
        'name="same_by_wtforms"', 'name="place"')
    assert ours == theirs
    assert '<option selected value="3">Amiens &#34;Nord&#34; &amp; &lt;Étouvie&gt;</option>' in ours
    # An option with attributes of its own is left to WTForms.
    assert OptionsSelect.render_option(Choice("1", "Un", False, {"disabled": True})) \
        == Select.render_option(Choice("1", "Un", False, {"disabled": True}))
