"""Asking the council for help: the referral form.

One question at a time, in the order of ``STEPS``; the step names are the reply contract's
(shared/interfaces.md). For each step there is a question (``Ask``) and a reader of the answer
(``ValidateReferralForm.extract_<step>``). A reader returns:

- ``{step: value}`` when the message answers the question;
- ``{step: None}`` with a kind message when it tried to answer but the answer is not valid (the
  form asks again);
- ``{}`` when the message is not an answer at all ("cancel", a crisis, a question about
  something else): the form steps aside and the rules in bot/data/referral.yml take over.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Callable

from babel.dates import format_date as babel_format_date
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from content.council import DAYS as DAY_NAMES, Council
from content.i18n import babel_locale

from . import referral_answers as answers
from . import replies, turn as turns
from .turn import TOPIC_BY_INTENT, Turn

STEPS = ("for_whom", "relationship", "consent", "name", "date_of_birth", "phone_or_email", "postcode",
         "needs", "urgency", "risks", "confirm", "share_consent")
ONLY_FOR_SOMEONE_ELSE = ("relationship", "consent")
FLAGS = ("referral_changing", "consent_explained")  # which variant of a question to ask
RISKS = ("lives_alone", "falls", "carer_unable")
# Messages that leave the form to the rules: stop, a crisis, or a clear change of subject.
LEAVING_INTENTS = {"stop", "crisis", "human_handoff", "out_of_scope", "help", "find_service", *TOPIC_BY_INTENT}
FREE_TEXT_STEPS = ("name", "needs")
SURE = 0.8
FAMILY_WORDS = ("family", "relative", "mum", "mother", "mom", "dad", "father", "son", "daughter", "wife", "husband",
                "partner", "brother", "sister", "aunt", "uncle", "nan", "gran", "grandma", "grandad", "grandfather",
                "grandmother", "niece", "nephew", "cousin", "in law", "child", "parent", "carer")


def choice(tracker: Tracker) -> str | None:
    """The value a button sent (/choose{"choice": "..."}), if the message was a button press."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "choice":
            return str(entity.get("value"))
    return None


def for_someone_else(tracker: Tracker) -> bool:
    return tracker.get_slot("for_whom") == "other"


def steps_for(tracker: Tracker) -> list[str]:
    return [s for s in STEPS if s not in ONLY_FOR_SOMEONE_ELSE or for_someone_else(tracker)]


def _choose(title: str, value: str) -> dict[str, str]:
    return {"title": title, "payload": f'/choose{{"choice": "{value}"}}'}


# --- the questions ---------------------------------------------------------------------------

def question(step: str, turn: Turn, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
    """The text and buttons that ask for one step, worded for the person it is about."""
    _ = turn.gettext
    other = for_someone_else(tracker)
    if step == "for_whom":
        return _("Who needs help?"), [_choose(_("I do"), "self"), _choose(_("Someone else"), "other")]
    if step == "relationship":
        return _("How do you know the person who needs help?"), [
            _choose(_("Family"), "family"), _choose(_("Friend or neighbour"), "friend"),
            _choose(_("I work with them (for example GP or nurse)"), "professional")]
    if step == "consent" and tracker.get_slot("consent_explained"):
        return _("We need their agreement because it is their information and their choice. "
                 "We can still act without it if they may be abused or neglected, or if they cannot "
                 "make this decision themselves. Which is closest?"), [
            _choose(_("They may be abused or neglected"), "safeguarding"),
            _choose(_("They cannot decide for themselves"), "cannot_decide"),
            {"title": _("Stop for now"), "payload": "/stop"}]
    if step == "consent":
        return _("Do they know you are asking for help for them, and do they agree?"), [
            _choose(_("Yes, they agree"), "agreed"), _choose(_("No, or I'm not sure"), "not_agreed")]
    if step == "name":
        return (_("What is their full name?") if other else _("What is your full name?")), []
    if step == "date_of_birth":
        text = _("What is their date of birth? For example 12/03/1945.") if other else _(
            "What is your date of birth? For example 12/03/1945.")
        return text, [_choose(_("Skip this question"), "skip")]
    if step == "phone_or_email":
        return _("What phone number or email address can we use to contact you?"), []
    if step == "postcode":
        return (_("What is the postcode where they live?") if other else _("What is your postcode?")), []
    if step == "needs":
        return (_("In your own words, what help do they need?") if other
                else _("In your own words, what help do you need?")), []
    if step == "urgency":
        return _("How soon is help needed?"), [
            _choose(_("Today: someone is at risk"), "today"), _choose(_("In the next few days"), "week"),
            _choose(_("It can wait a few weeks"), "later")]
    if step == "risks":
        return _("Do any of these apply? You can type more than one."), [
            _choose(_("Lives alone"), "lives_alone"), _choose(_("Has fallen recently"), "falls"),
            _choose(_("Their carer cannot carry on") if other else _("My carer cannot carry on"), "carer_unable"),
            _choose(_("None of these"), "none")]
    if step == "confirm" and tracker.get_slot("referral_changing"):
        return _("What do you want to change?"), [
            _choose(label, f"change:{item}") for item, label, _value in summary_items(turn, tracker)]
    if step == "confirm":
        lines = [f"- {label}: {value}" for _item, label, value in summary_items(turn, tracker)]
        return _("Please check these details:") + "\n" + "\n".join(lines) + "\n" + _("Are they right?"), [
            _choose(_("Yes, they are right"), "yes"), _choose(_("Change something"), "change")]
    if step == "share_consent":
        return _("Can we send these details to the {service} team at {council}? They will use them to "
                 "contact you about help. We keep them safe and only as long as we need to.").format(
            service=turn.council.service_name, council=turn.council.name), [
            _choose(_("Yes, send them"), "yes"), _choose(_("No, do not send them"), "no")]
    raise ValueError(step)


def summary_items(turn: Turn, tracker: Tracker) -> list[tuple[str, str, str]]:
    """(step, label, value) for each answer the person can check and change."""
    _ = turn.gettext
    get = tracker.get_slot
    urgency = {"today": _("Today"), "week": _("In the next few days"), "later": _("In a few weeks")}
    risk_names = {"lives_alone": _("lives alone"), "falls": _("has fallen recently"),
                  "carer_unable": _("carer cannot carry on")}
    born = get("date_of_birth")
    items = [
        ("for_whom", _("Help is for"), _("someone else") if for_someone_else(tracker) else _("you")),
        ("name", _("Name"), get("name") or ""),
        ("date_of_birth", _("Date of birth"),
         _("not given") if born in (None, "skipped") else format_date(born, turn.locale)),
        ("phone_or_email", _("Contact"), display_contact(get("phone_or_email") or "")),
        ("postcode", _("Postcode"), get("postcode") or ""),
        ("needs", _("Help needed"), get("needs") or ""),
        ("urgency", _("How soon"), urgency.get(get("urgency"), "")),
        ("risks", _("Also"), ", ".join(risk_names[r] for r in get("risks") or []) or _("none of these")),
    ]
    if for_someone_else(tracker):
        items.insert(1, ("relationship", _("You are their"), {
            "family": _("family"), "friend": _("friend or neighbour"),
            "professional": _("professional")}.get(get("relationship"), get("relationship") or "")))
    return items


def format_date(iso: str, locale: str) -> str:
    return babel_format_date(dt.date.fromisoformat(iso), format="long", locale=babel_locale(locale))


def display_contact(value: str) -> str:
    return answers.display_phone(value) if value.startswith("+") else value


def stop_hint(turn: Turn) -> str:
    # On SMS and WhatsApp "cancel" and "stop" unsubscribe the number (UK mobile rules), so
    # text messages are told another way out.
    if turn.channel in ("sms", "whatsapp"):
        return turn.gettext("To stop at any time, reply NEVER MIND.")
    return turn.gettext("Type cancel to stop at any time.")


class AskReferralStep:
    """``action_ask_<step>``: asks one question, with the contract's referral metadata.
    One Action per step is made from it below (it is not an Action itself, so the SDK, which
    registers every Action class it finds, does not register it)."""

    step: str = ""

    def name(self) -> str:
        return f"action_ask_{self.step}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        text, buttons = question(self.step, turn, tracker)
        order = steps_for(tracker)
        progress = turn.gettext("Question {number} of {total}.").format(
            number=order.index(self.step) + 1, total=len(order))
        hint = stop_hint(turn) if self.step == order[0] else ""
        replies.send(dispatcher, turn, "referral", [f"{progress} {text}".strip(), hint], buttons, step=self.step)
        return turn.events


def _ask_action(step: str) -> type:
    # The SDK registers every concrete Action subclass it finds, one per name.
    return type(f"ActionAsk_{step}", (AskReferralStep, Action), {"step": step})


for _step in STEPS:
    globals()[f"ActionAsk_{_step}"] = _ask_action(_step)


# --- reading the answers ---------------------------------------------------------------------

class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict) -> list[str]:
        return steps_for(tracker)

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict) -> list[dict[str, Any]]:
        """Reads the message as the answer to the question just asked, and nothing else."""
        step = tracker.get_slot("requested_slot")
        if step is None:  # the form is starting: "I want to refer my mum" already says who for
            found = self._who_from_request(tracker)
            return [SlotSet(k, v) for k, v in found.items()]
        if step not in STEPS:
            return []
        turn = turns.read(tracker)
        if self._stopping(tracker) or (step in FREE_TEXT_STEPS and self._asking_something_else(tracker)):
            return []
        # Read it as an answer first: "she lives alone and fell last week" answers the risk
        # question even if the classifier heard a question about alarms. Only a message that
        # answers nothing and is clearly about something else leaves the form.
        scratch = CollectingDispatcher()
        found = getattr(self, f"read_{step}")(scratch, tracker, turn)
        answered = any(value is not None for value in found.values())
        if not answered and self._asking_something_else(tracker):
            return []
        dispatcher.messages.extend(scratch.messages)
        tracker.slots.update(found)
        return [SlotSet(k, v) for k, v in found.items()]

    async def get_validation_events(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        # The readers validate as they read: keep what they found this turn.
        return [SlotSet(k, v) for k, v in tracker.slots_to_validate().items()]

    @staticmethod
    def _stopping(tracker: Tracker) -> bool:
        """"Cancel", a crisis, or asking for another language ("po polsku"): these always leave
        the form to the rules (a language request is recognised by its words, never guessed)."""
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        return not choice(tracker) and intent in ("stop", "crisis", "change_language")

    @staticmethod
    def _asking_something_else(tracker: Tracker) -> bool:
        """A clear question about something else: a topic, a person, the menu. In the free-text
        steps only a question ("...?") counts, since any words can be a name or a need."""
        if choice(tracker):
            return False
        latest = tracker.latest_message or {}
        intent = latest.get("intent") or {}
        if intent.get("name") not in LEAVING_INTENTS or (intent.get("confidence") or 0) < SURE:
            return False
        step = tracker.get_slot("requested_slot")
        return step not in FREE_TEXT_STEPS or (latest.get("text") or "").rstrip().endswith("?")

    @staticmethod
    def _who_from_request(tracker: Tracker) -> dict[str, str]:
        text = (tracker.latest_message or {}).get("text") or ""
        if answers.has_any(text, ("my mum", "my mother", "my dad", "my father", "my husband", "my wife",
                                  "my partner", "my son", "my daughter", "my nan", "my gran", "my grandad",
                                  "my brother", "my sister", "my aunt", "my uncle")):
            return {"for_whom": "other", "relationship": "family"}
        if answers.has_any(text, ("my neighbour", "my friend")):
            return {"for_whom": "other", "relationship": "friend"}
        if answers.has_any(text, ("me", "myself", "self refer", "self referral")):
            return {"for_whom": "self"}
        return {}

    @staticmethod
    def _sorry(dispatcher: CollectingDispatcher, text: str) -> None:
        dispatcher.utter_message(text=text)

    def read_for_whom(self, dispatcher, tracker, turn) -> dict[str, Any]:
        picked = choice(tracker) or self._who_from_request(tracker).get("for_whom")
        text = tracker.latest_message.get("text") or ""
        if picked is None and answers.has_any(text, ("someone else", "somebody else", "other", "them", "him", "her")):
            picked = "other"
        if picked in ("self", "other"):
            found = {"for_whom": picked}
            if picked == "other":
                found.update({k: v for k, v in self._who_from_request(tracker).items() if k == "relationship"})
            return found
        self._sorry(dispatcher, turn.gettext("Sorry, I did not catch that. Is the help for you, or for someone else?"))
        return {"for_whom": None}

    def read_relationship(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        if picked is None:
            if answers.has_any(text, ("gp", "doctor", "nurse", "social worker", "professional", "work", "carer")):
                picked = "professional"
            elif answers.has_any(text, ("friend", "neighbour", "neighbor")):
                picked = "friend"
            elif answers.has_any(text, FAMILY_WORDS):
                picked = "family"
        if picked is None:
            self._sorry(dispatcher, turn.gettext("Sorry, please choose one of the options."))
        return {"relationship": picked}

    def read_consent(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if picked is None:
            if intent == "affirm" or answers.has_any(text, ("yes", "they agree", "agreed", "yep", "yeah")):
                picked = "agreed"
            elif intent == "deny" or answers.has_any(text, ("no", "not sure", "dont know", "don t know", "nope")):
                picked = "not_agreed"
            elif answers.has_any(text, ("abuse", "abused", "neglect", "neglected", "harm")):
                picked = "safeguarding"
            elif answers.has_any(text, ("cannot decide", "can t decide", "cant decide", "dementia", "capacity")):
                picked = "cannot_decide"
        if picked == "not_agreed":  # explain why it matters, then ask which case applies
            return {"consent": None, "consent_explained": True}
        if picked in ("agreed", "safeguarding", "cannot_decide"):
            return {"consent": picked, "consent_explained": False}
        self._sorry(dispatcher, turn.gettext("Sorry, please choose one of the options."))
        return {"consent": None}

    def read_name(self, dispatcher, tracker, turn) -> dict[str, Any]:
        name = " ".join((tracker.latest_message.get("text") or "").split())
        if 2 <= len(name) <= 100 and any(ch.isalpha() for ch in name):
            return {"name": name}
        self._sorry(dispatcher, turn.gettext("Please type a name, for example Mary Smith."))
        return {"name": None}

    def read_date_of_birth(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if choice(tracker) == "skip" or answers.skipped(text):
            return {"date_of_birth": "skipped"}
        born = answers.date_of_birth(text)
        if born:
            return {"date_of_birth": born.isoformat()}
        self._sorry(dispatcher, turn.gettext("Sorry, I could not read that date. Please type it like 12/03/1945, "
                                             "or choose Skip."))
        return {"date_of_birth": None}

    def read_phone_or_email(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        found = answers.email(text) if "@" in text else answers.phone(text)
        if found:
            return {"phone_or_email": found}
        self._sorry(dispatcher, turn.gettext("Sorry, that does not look like a UK phone number or an email "
                                             "address. Please check it and type it again."))
        return {"phone_or_email": None}

    def read_postcode(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        found = answers.postcode(text)
        if found and turn.council.covers(found):
            return {"postcode": found}
        if found:
            self._sorry(dispatcher, turn.gettext(
                "{council} does not cover {postcode}. You can find the council for that postcode at "
                "https://www.gov.uk/find-local-council").format(council=turn.council.name, postcode=found))
        else:
            self._sorry(dispatcher, turn.gettext("Sorry, that does not look like a UK postcode. "
                                                 "It should look like {example}.").format(
                example=example_postcode(turn)))
        return {"postcode": None}

    def read_needs(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = " ".join((tracker.latest_message.get("text") or "").split())
        if len(text) >= 3:
            return {"needs": text[:2000]}
        self._sorry(dispatcher, turn.gettext("Please tell me a little about the help that is needed."))
        return {"needs": None}

    def read_urgency(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        if picked is None:
            if answers.has_any(text, ("today", "now", "urgent", "urgently", "asap", "emergency", "at risk")):
                picked = "today"
            elif answers.has_any(text, ("week", "days", "soon", "few days", "this week")):
                picked = "week"
            elif answers.has_any(text, ("wait", "weeks", "month", "not urgent", "no rush", "later")):
                picked = "later"
        if picked in ("today", "week", "later"):
            if picked == "today":
                c = turn.council
                dispatcher.utter_message(text=turn.gettext(
                    "If anyone is in danger now, call {emergency}. To speak to someone today, call {phone}; "
                    "when we are closed, call {out_of_hours}.").format(
                    emergency=c.crisis["emergency"], phone=c.phones["adult_social_care"],
                    out_of_hours=c.phones["out_of_hours"]))
            return {"urgency": picked}
        self._sorry(dispatcher, turn.gettext("Sorry, please choose one of the options."))
        return {"urgency": None}

    def read_risks(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        if picked in RISKS:
            return {"risks": [picked]}
        if picked == "none" or answers.has_any(text, ("none", "no", "none of these", "neither", "nope")):
            return {"risks": []}
        found = [risk for risk, cues in (
            ("lives_alone", ("alone", "on her own", "on his own", "on my own", "1")),
            ("falls", ("fall", "fallen", "falls", "fell", "2")),
            ("carer_unable", ("carer", "cannot carry on", "can t carry on", "cant cope", "3")),
        ) if answers.has_any(text, cues)]
        if found:
            return {"risks": found}
        self._sorry(dispatcher, turn.gettext("Sorry, please choose the ones that apply, or None of these."))
        return {"risks": None}

    def read_confirm(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if picked and picked.startswith("change:") and picked[7:] in STEPS:
            return {picked[7:]: None, "confirm": None, "referral_changing": False}
        if picked == "yes" or (picked is None and (intent == "affirm" or answers.has_any(text, ("yes", "right", "correct")))):
            return {"confirm": "yes", "referral_changing": False}
        if picked == "change" or intent == "deny" or answers.has_any(text, ("no", "change", "wrong")):
            return {"confirm": None, "referral_changing": True}
        self._sorry(dispatcher, turn.gettext("Sorry, please choose Yes, or Change something."))
        return {"confirm": None}

    def read_share_consent(self, dispatcher, tracker, turn) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        picked = choice(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if picked in ("yes", "no"):
            return {"share_consent": picked}
        if intent == "affirm" or answers.has_any(text, ("yes", "ok", "okay", "send")):
            return {"share_consent": "yes"}
        if intent == "deny" or answers.has_any(text, ("no", "dont", "do not")):
            return {"share_consent": "no"}
        self._sorry(dispatcher, turn.gettext("Sorry, please choose Yes or No."))
        return {"share_consent": None}


def example_postcode(turn: Turn) -> str:
    districts = turn.council.postcode_districts
    return f"{districts[0]} 2AB" if districts else "AB1 2CD"


def clear_form() -> list[dict[str, Any]]:
    """Forgets every answer: after sending, or cancelling, none of it stays in the conversation."""
    return [SlotSet(step, None) for step in STEPS] + [SlotSet(flag, None) for flag in FLAGS] + [
        SlotSet("requested_slot", None)]


class ActionCancelReferral(Action):
    def name(self) -> str:
        return "action_cancel_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        text = turn.gettext("OK, I have stopped. Nothing has been sent. You can ask for help again at any time, "
                            "or call {phone}.").format(phone=turn.council.phones["adult_social_care"])
        replies.send(dispatcher, turn, "referral", [text], [replies.menu_button(turn)], step="cancelled")
        return turn.events + [ActiveLoop(None)] + clear_form()


class ActionSubmitReferral(Action):
    """Sends the finished referral to the council (or, without consent, sends nothing)."""

    def name(self) -> str:
        return "action_submit_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        if tracker.get_slot("share_consent") != "yes" or tracker.get_slot("confirm") != "yes":
            text = turn.gettext("OK. Nothing has been sent. If you change your mind, ask for help again, "
                                "or call {phone}.").format(phone=turn.council.phones["adult_social_care"])
            replies.send(dispatcher, turn, "referral", [text], [replies.menu_button(turn)], step="not_sent")
            return turn.events + clear_form()
        from content import referrals

        try:  # blocking work (database, or the spool if the database is down) off the event loop
            submission = await asyncio.to_thread(referrals.submit, details(tracker, turn))
        except referrals.ReferralNotSaved:
            # Neither the database nor the spool would take it: say so plainly, keep the answers
            # (asking for help again goes straight back to the last question), give the number.
            text = turn.gettext("Sorry, I could not send your request just now. Please try again in a few "
                                "minutes, or call {phone}.").format(phone=turn.council.phones["adult_social_care"])
            replies.send(dispatcher, turn, "referral", [text],
                         [{"title": turn.gettext("Try again"), "payload": "/request_referral"}], step="not_sent")
            return turn.events + [SlotSet("share_consent", None)]
        replies.send(dispatcher, turn, "referral", what_happens_next(turn, tracker, submission.reference),
                     [replies.menu_button(turn)], step="submitted", reference=submission.reference)
        return turn.events + clear_form()


def details(tracker: Tracker, turn: Turn):
    from content.referrals import ReferralDetails

    get = tracker.get_slot
    contact = get("phone_or_email")
    born = get("date_of_birth")
    return ReferralDetails(
        for_whom=get("for_whom"), relationship=get("relationship"),
        consent=get("consent") if for_someone_else(tracker) else "self",
        name=get("name"), date_of_birth=None if born in (None, "skipped") else dt.date.fromisoformat(born),
        contact=contact, contact_kind="phone" if contact.startswith("+") else "email",
        postcode=get("postcode"), needs=get("needs"), urgency=get("urgency"), risks=list(get("risks") or []),
        locale=turn.locale, channel=turn.channel,
    )


def contact_by(council: Council, days: int, today: dt.date) -> dt.date:
    """The date ``days`` working days after today: days the front door is open, not bank holidays."""
    due, counted = today, 0
    while counted < days:
        due += dt.timedelta(days=1)
        if DAY_NAMES[due.weekday()] in council.hours and due not in council.closed_dates:
            counted += 1
    return due


def what_happens_next(turn: Turn, tracker: Tracker, reference: str, today: dt.date | None = None) -> list[str]:
    _ = turn.gettext
    c = turn.council
    days = c.contact_within_days.get(tracker.get_slot("urgency"), 5)
    if days == 0:
        contact = _("Someone from the {service} team will contact you today, using the phone number or email "
                    "you gave.").format(service=c.service_name)
    else:
        # A date as well as a count: "2 working days" means little at the end of a Friday.
        due = contact_by(c, days, today or c.local_now().date())
        contact = turn.ngettext(
            "Someone from the {service} team will contact you within {days} working day, by {date}. "
            "They will use the phone number or email you gave.",
            "Someone from the {service} team will contact you within {days} working days, by {date}. "
            "They will use the phone number or email you gave.", days,
        ).format(service=c.service_name, days=days,
                 date=babel_format_date(due, format="full", locale=turn.babel_locale))
    return [
        _("Thank you. We have your request for help. Your reference is {reference}.").format(reference=reference),
        contact,
        _("If things get worse before then, call {phone}. If anyone is in danger, call {emergency}.")
        .format(phone=c.phones["adult_social_care"], emergency=c.crisis["emergency"]),
    ]
