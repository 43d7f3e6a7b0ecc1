"""Lookups finishing out of order are applied in the order of the scans."""

from __future__ import annotations

from ui.tpv.in_order import InOrder


def test_results_are_applied_in_the_order_asked_and_idle_runs_once() -> None:
    order = InOrder()
    applied: list[str] = []
    first, second, third = order.ticket(), order.ticket(), order.ticket()
    order.when_idle(lambda: applied.append("pay"))
    order.when_idle(lambda: applied.append("pay"))
    third(lambda: applied.append("c"))
    second(lambda: applied.append("b"))
    assert applied == [] and order.pending
    first(lambda: applied.append("a"))
    assert applied == ["a", "b", "c", "pay"]
    assert not order.pending
    order.when_idle(lambda: applied.append("now"))
    assert applied[-1] == "now"
