"""Signposting: "is there a carers group near me", "dementia cafe in Wendford".

A small form asks only for what the message did not say: what kind of service (``category``)
and where (``location``). Then the nearest matching services in the directory are listed, each
with its distance, when it runs and how to get in touch, as a ``signpost`` reply.
"""
from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from content import db
from content.directory import search
from content.directory.postcodes import resolve_place

from . import replies, turn as turns
from .referral import SURE, choice
from .referral_answers import words
from .turn import TOPIC_BY_INTENT, Turn

NEARBY_M = 16_000  # about 10 miles: further than that is not "near me"
SHOWN = 5

# Words people use for each kind of service, most specific first (the first match wins).
CATEGORY_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dementia-cafes", ("dementia cafe", "memory cafe", "dementia cafes", "memory cafes")),
    ("dementia-support-groups", ("dementia group", "dementia support", "alzheimers group")),
    ("falls-prevention", ("falls prevention", "balance class", "strength and balance", "falls class")),
    ("chair-based-exercise", ("chair exercise", "chair based", "seated exercise", "chair exercises")),
    ("walking-groups", ("walking group", "walking groups", "walks")),
    ("dial-a-ride", ("dial a ride",)),
    ("wheelchair-repair", ("wheelchair",)),
    ("equipment-loan", ("equipment loan", "borrow", "loan")),
    ("lunch-clubs", ("lunch club", "lunch clubs", "lunch", "luncheon", "dinner club", "meals")),
    ("day-opportunities", ("day centre", "day center", "day centres", "day care", "day opportunities")),
    ("befriending", ("befriending", "befriend", "lonely", "loneliness", "company", "someone to talk to")),
    ("carers-support", ("carers group", "carer group", "carers", "carer", "caring", "carers centre")),
    ("dementia", ("dementia", "alzheimers", "alzheimer", "memory")),
    ("respite", ("sitting service", "sitter", "respite", "short break", "short breaks")),
    ("hospital-discharge", ("hospital", "discharge", "home from hospital")),
    ("advocacy", ("advocate", "advocacy")),
    ("benefits-advice", ("benefits", "benefit", "money advice", "welfare rights", "pension credit",
                         "attendance allowance")),
    ("community-transport", ("transport", "lift", "lifts", "driver", "bus", "getting to appointments")),
    ("equipment", ("equipment", "mobility aids", "mobility shop", "aids")),
    ("sensory-loss", ("deaf", "hearing", "sight", "blind", "visual", "visually impaired")),
    ("mental-health", ("mental health", "anxiety", "depression", "wellbeing", "low mood")),
    ("exercise", ("exercise", "keep fit", "exercise class", "activity", "activities", "yoga", "tai chi",
                  "swimming", "dance")),
)
# The categories offered as buttons when someone has not said what they are looking for.
MENU = ("carers-support", "dementia", "day-opportunities", "befriending", "lunch-clubs", "equipment",
        "advocacy", "benefits-advice", "transport", "exercise", "respite", "mental-health")


def N_(text: str) -> str:
    """Marks a string for the catalogs without translating it here."""
    return text


# The directory's names for Front Door's categories (content/directory/data/taxonomies.json),
# listed so that the catalogs translate them; a name staff have changed is shown as it is.
CATEGORY_NAMES = (
    N_("Carers' support"), N_("Dementia"), N_("Dementia cafes"), N_("Dementia support groups"),
    N_("Day opportunities"), N_("Befriending"), N_("Lunch clubs"), N_("Equipment"), N_("Equipment loan"),
    N_("Wheelchair repair"), N_("Advocacy"), N_("Benefits advice"), N_("Transport"), N_("Community transport"),
    N_("Dial-a-ride"), N_("Exercise and activity"), N_("Chair-based exercise"), N_("Walking groups"),
    N_("Falls prevention classes"), N_("Respite and sitting services"), N_("Hospital discharge support"),
    N_("Sensory loss"), N_("Mental health and wellbeing"),
)


def category_in(text: str) -> str | None:
    padded = words(text)
    return next((code for code, cues in CATEGORY_CUES if any(f" {cue} " in padded for cue in cues)), None)


def category_names(session, turn: Turn | None = None) -> dict[str, str]:
    """Each category's name, in the reader's language when the catalogs have it."""
    from content.directory.models import Taxonomy, TaxonomyTerm
    from sqlalchemy import select

    translate = turn.gettext if turn else str
    rows = session.execute(select(TaxonomyTerm.code, TaxonomyTerm.name).join(
        Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id).where(Taxonomy.name == search.FRONTDOOR_TAXONOMY))
    return {code: translate(name) for code, name in rows}


def place_from(text: str) -> dict[str, Any] | None:
    with db.session_scope() as session:
        found = resolve_place(session, text)
    if not found:
        return None
    lat, lon, label = found
    return {"lat": lat, "lon": lon, "label": label}


class AskServiceCategory(Action):
    def name(self) -> str:
        return "action_ask_service_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        with db.session_scope() as session:
            names = category_names(session, turn)
        buttons = [{"title": names[c], "payload": f'/choose{{"choice": "{c}"}}'} for c in MENU if c in names]
        replies.send(dispatcher, turn, "signpost", [turn.gettext("What kind of service are you looking for?")],
                     buttons, services=[], step="category")
        return turn.events


class AskServiceLocation(Action):
    def name(self) -> str:
        return "action_ask_service_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        text = turn.gettext("Where should I look? Type a postcode, or the name of a town or village.")
        replies.send(dispatcher, turn, "signpost", [text], [], services=[], step="location")
        return turn.events


class ValidateServiceSearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_service_search_form"

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict) -> list[dict[str, Any]]:
        step = tracker.get_slot("requested_slot")
        text = (tracker.latest_message or {}).get("text") or ""
        if step is None:  # starting: take whatever the request already says
            return self._prefill(text)
        if self._leaving(tracker):
            return []
        turn = turns.read(tracker)
        if step == "service_category":
            code = choice(tracker) or category_in(text)
            if not code:
                dispatcher.utter_message(text=turn.gettext("Sorry, please choose one of these."))
            return [SlotSet("service_category", code)]
        if step == "service_location":
            place = place_from(text)
            if not place:
                dispatcher.utter_message(text=turn.gettext(
                    "Sorry, I do not know that place. Try a postcode, or the name of a town or village "
                    "in {area}.").format(area=turn.council.area or turn.council.name))
            return [SlotSet("service_location", place)]
        return []

    async def get_validation_events(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        return [SlotSet(k, v) for k, v in tracker.slots_to_validate().items()]

    @staticmethod
    def _prefill(text: str) -> list[dict[str, Any]]:
        events = []
        code = category_in(text)
        if code:
            events.append(SlotSet("service_category", code))
        place = place_from(text)
        if place:  # a place named in this message wins over the one remembered
            events.append(SlotSet("service_location", place))
        return events

    @staticmethod
    def _leaving(tracker: Tracker) -> bool:
        if choice(tracker):
            return False
        intent = (tracker.latest_message or {}).get("intent") or {}
        if intent.get("name") in ("stop", "crisis", "change_language"):
            return True
        # A place name can look like anything to the classifier ("Narnia" may seem out of scope),
        # so only a clear question about a topic, or asking for a person, leaves the search.
        leaving = set(TOPIC_BY_INTENT) | {"human_handoff"}
        return intent.get("name") in leaving and (intent.get("confidence") or 0) >= SURE


def distance(metres: float | None, turn: Turn) -> str | None:
    """'0.4 miles' in the reader's language and number style (people in the UK think in miles)."""
    if metres is None:
        return None
    miles = metres / search.METRES_PER_MILE
    if miles < 0.1:
        return turn.gettext("less than {miles} miles").format(
            miles=format_decimal(0.1, format="0.0", locale=turn.babel_locale))
    if round(miles, 1) == 1:
        return turn.gettext("1 mile")
    # Always one decimal place ("2.0 miles"), so each language can use its word for fractions.
    return turn.gettext("{miles} miles").format(
        miles=format_decimal(round(miles, 1), format="#,##0.0", locale=turn.babel_locale))


def describe(match: search.ServiceMatch, turn: Turn) -> str:
    """One service as a reader sees it: name and distance, what, when, where, how to contact."""
    _ = turn.gettext
    away = distance(match.distance_m, turn)
    head = f"**{match.name}**" + (f" ({away})" if away else "")
    lines = [head, match.short_description]
    if match.when:
        lines.append(_("When: {when}").format(when=match.when))
    if match.where:
        lines.append(_("Where: {where}").format(where=match.where))
    contact = [part for part in (match.phone, match.email, match.url) if part]
    if contact:
        lines.append(_("Contact: {contact}").format(contact=", ".join(contact)))
    return "\n".join(line for line in lines if line)


class ActionFindServices(Action):
    def name(self) -> str:
        return "action_find_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        _ = turn.gettext
        code, place = tracker.get_slot("service_category"), tracker.get_slot("service_location") or {}
        with db.session_scope() as session:
            name = category_names(session, turn).get(code, code or "")
            term_ids = search.category_term_ids(session, code) if code else []
            near = (place["lat"], place["lon"]) if place else None
            found = search.search_services(session, taxonomy_term_ids=term_ids, near=near, limit=SHOWN,
                                           within_m=NEARBY_M, locale=turn.locale)
            further = [] if found else search.search_services(session, taxonomy_term_ids=term_ids, near=near,
                                                              limit=2, locale=turn.locale)
        label = place.get("label", "")
        if found:
            texts = [_("{category} near {place}:").format(category=name, place=label)]
            texts += [describe(match, turn) for match in found]
        else:
            texts = [_("I could not find anything for {category} within 10 miles of {place}.").format(
                category=name, place=label)]
            if further:
                texts.append(_("The nearest ones are further away:"))
                texts += [describe(match, turn) for match in further]
            texts.append(_("Our team may know of others: call {phone}.").format(
                phone=turn.council.phones["adult_social_care"]))
        shown = found or further
        buttons = [{"title": _("Look for something else"), "payload": "/find_service"}, replies.person_button(turn),
                   replies.menu_button(turn)]
        replies.send(dispatcher, turn, "signpost", texts, buttons, services=[m.service_id for m in shown],
                     category=code, place=label)
        return turn.events + [SlotSet("service_category", None)]
