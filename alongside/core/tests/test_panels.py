"""Cards that apps add to the staff dashboard (core.panels)."""

from django.test import RequestFactory

from alongside.core.panels import _panels as registered
from alongside.core.panels import panels_for, register_panel


def test_cards_come_in_order_and_a_card_may_show_nothing():
    before = dict(registered)
    try:
        register_panel("b.html", lambda request: {"n": 2}, order=20)
        register_panel("a.html", lambda request: {"n": 1}, order=30)
        register_panel("hidden.html", lambda request: None, order=1)
        register_panel("b.html", lambda request: {"n": 2}, order=20)  # twice: still one card
        shown = [
            (name, card)
            for name, card in panels_for(RequestFactory().get("/"))
            if name in {"a.html", "b.html", "hidden.html"}
        ]
        assert shown == [("b.html", {"n": 2}), ("a.html", {"n": 1})]
    finally:
        registered.clear()
        registered.update(before)


def test_workforce_registers_its_card_for_the_dashboard():
    assert "workforce/_my_credentials.html" in registered
