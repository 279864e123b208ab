"""What the bot says about immediate danger: the crisis reply and the "concern" line."""
from __future__ import annotations

from .turn import Turn

# A line for the kind of crisis, said right after the 999 line.
def _category_line(turn: Turn, category: str | None) -> str:
    _ = turn.gettext
    lines = {
        "suicide": _("You do not have to face this alone. Samaritans will listen, any time, day or night."),
        "self_harm": _("You do not have to face this alone. Samaritans will listen, any time, day or night."),
        "medical": _("If someone has collapsed, is not breathing, or has chest pain or signs of a stroke, call 999 now."),
        "danger": _("If you can, go somewhere safe, then call 999."),
        "abuse": _("If you can, go somewhere safe, then call 999."),
    }
    return lines.get(category or "", "")


def crisis_texts(turn: Turn, category: str | None) -> list[str]:
    _ = turn.gettext
    c = turn.council
    numbers = _(
        "Call {emergency} if anyone is in danger now.\n"
        "Samaritans: {samaritans}, free, any time, if you are struggling or thinking about suicide.\n"
        "NHS {nhs} for urgent medical help that is not an emergency.\n"
        "To report abuse of an adult: {safeguarding}. When we are closed: {out_of_hours}."
    ).format(
        emergency=c.crisis["emergency"], samaritans=c.crisis["samaritans"], nhs=c.crisis["nhs_non_emergency"],
        safeguarding=c.phones["safeguarding"], out_of_hours=c.phones["out_of_hours"],
    )
    opening = _("I'm sorry this is happening. Please get help now.")
    return [part for part in (opening, _category_line(turn, category), numbers) if part]


def concern_text(turn: Turn) -> str:
    """Said before the answer when a message might be about danger: better too soon than never."""
    c = turn.council
    return turn.gettext(
        "If you feel you cannot go on, or someone is in danger, help is there now: call {emergency}, "
        "or Samaritans free on {samaritans}, any time."
    ).format(emergency=c.crisis["emergency"], samaritans=c.crisis["samaritans"])
