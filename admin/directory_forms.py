"""The forms of the directory pages (admin/views/directory.py): services, contacts, places,
schedules and organisations. The admin's ``Form``, so each carries a CSRF token and speaks the
staff member's language; GOV.UK widgets; error messages that say what to do, as in admin/forms.py."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from content import council as council_config
from content.directory import editing
from content.directory.models import STATUSES
from content.directory.postcodes import normalise_postcode

from .accounts import EMAIL
from .forms import Form, choices

STATUS_NAMES = {"active": _l("Active"), "inactive": _l("Inactive"),
                "temporarily closed": _l("Temporarily closed"), "defunct": _l("Closed for good (defunct)")}
assert set(STATUS_NAMES) == set(STATUSES)
DAY_NAMES = {"MO": _l("Monday"), "TU": _l("Tuesday"), "WE": _l("Wednesday"), "TH": _l("Thursday"),
             "FR": _l("Friday"), "SA": _l("Saturday"), "SU": _l("Sunday")}
WEEK_NAMES = {1: _l("First"), 2: _l("Second"), 3: _l("Third"), 4: _l("Fourth"), -1: _l("Last")}
FREQUENCIES = {"weekly": _l("Every week"), "fortnightly": _l("Every other week"),
               "monthly": _l("Once a month or more, on certain weeks"),
               "other": _l("No fixed days: describe it in words")}
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")
LONG_TEXT = 5000


def parse_time(text: str | None) -> str | None:
    """'10', '9:30', '09.30', '2pm', '2:30pm', 'midday' -> 'HH:MM' (24-hour); None if not a time."""
    value = re.sub(r"\s+", "", (text or "").lower())
    if value in ("midday", "noon", "12noon"):
        return "12:00"
    if value == "midnight":
        return "00:00"
    match = TIME.match(value)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None


class WholeNumberField(IntegerField):
    """A whole number typed in a text box, with a message that says what to type."""

    widget = GovTextInput()

    def __init__(self, label, message, **kwargs):
        self.message = message
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(self.message) from None


def check_web_address(field) -> None:
    if field.data and not re.match(r"^https?://[^\s/]+\.[^\s]+$", field.data, re.IGNORECASE):
        raise ValidationError(_l("Enter a web address starting https://, like https://www.example.org.uk"))


def check_email(field) -> None:
    if field.data and (not EMAIL.match(field.data) or len(field.data) > 320):
        raise ValidationError(_l("Enter an email address in the correct format, like name@example.org.uk"))


def check_phone(field) -> None:
    if field.data and editing.uk_phone(field.data, allow_drama=council_config.current().fictional) is None:
        raise ValidationError(_l("Enter a UK phone number, like 01632 960 000 or 07700 900 982"))


def phone_of(field) -> editing.PhoneNumber | None:
    return editing.uk_phone(field.data, allow_drama=council_config.current().fictional) if field.data else None


class DirectoryFilterForm(Form):
    class Meta:
        csrf = False  # a search, sent with GET: it changes nothing

    q = StringField(_l("Search"), widget=GovTextInput(), filters=[blank_to_none],
                    validators=[Optional(), Length(max=200, message=_l("Search must be 200 characters or fewer"))],
                    description=_l("Words in the name, description, organisation or category"))
    category = SelectField(_l("Category"), widget=GovSelect(), validate_choice=False)
    status = SelectField(_l("Status"), widget=GovSelect(), validators=[Optional()],
                         choices=choices([("", _l("Any status")), *STATUS_NAMES.items()]))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])

    def validate_category(self, field):
        if field.data and field.data not in [c.value for c in field.choices]:
            raise ValidationError(_l("Choose a category from the list"))


class ServiceForm(Form):
    name = StringField(_l("Name of the service"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[DataRequired(_l("Enter the name of the service")),
                                   Length(max=200, message=_l("Name must be 200 characters or fewer"))])
    description = TextAreaField(
        _l("Description"), widget=GovTextArea(), filters=[blank_to_none],
        validators=[DataRequired(_l("Enter a description of the service")),
                    Length(max=LONG_TEXT, message=_l("Description must be 5,000 characters or fewer"))],
        description=_l("What it offers and who it is for, in plain English. The assistant shows the first "
                       "sentence."))
    status = RadioField(_l("Status"), widget=GovRadioInput(), choices=choices(STATUS_NAMES.items()),
                        validators=[DataRequired(_l("Choose a status"))], validate_choice=False,
                        description=_l("The assistant only suggests active services."))
    organisation = SelectField(_l("Organisation that runs it"), widget=GovSelect(), validate_choice=False)
    new_organisation = StringField(
        _l("Or add a new organisation"), widget=GovTextInput(), filters=[blank_to_none],
        validators=[Optional(), Length(max=200, message=_l("Organisation name must be 200 characters or fewer"))],
        description=_l("Its name, if it is not in the list. You can add its details later under Organisations."))
    url = StringField(_l("Website (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                      validators=[Optional(), Length(max=500, message=_l("Website must be 500 characters or fewer"))],
                      description=_l("The service's own page, starting https://"))
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(), filters=[blank_to_none])
    phone = StringField(_l("Phone number (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                        description=_l("The number residents call. The assistant gives this one."))
    fees = StringField(_l("Cost (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[Optional(), Length(max=500, message=_l("Cost must be 500 characters or fewer"))],
                       description=_l("For example, Free, or £3 for lunch"))
    minimum_age = WholeNumberField(_l("Youngest age it is for (optional)"),
                                   _l("Enter the youngest age as a whole number, like 18"),
                                   validators=[Optional(), NumberRange(0, 130, _l("Enter an age from 0 to 130"))])
    maximum_age = WholeNumberField(_l("Oldest age it is for (optional)"),
                                   _l("Enter the oldest age as a whole number, like 65"),
                                   validators=[Optional(), NumberRange(0, 130, _l("Enter an age from 0 to 130"))])

    def validate_status(self, field):
        if field.data not in STATUS_NAMES:
            raise ValidationError(_l("Choose a status"))

    def validate_organisation(self, field):
        known = [c.value for c in field.choices if c.value]
        if field.data and field.data not in known:
            raise ValidationError(_l("Choose an organisation from the list"))
        if field.data and self.new_organisation.data:
            raise ValidationError(_l("Choose an organisation from the list or add a new one, not both"))
        if not field.data and not self.new_organisation.data:
            raise ValidationError(_l("Choose the organisation that runs the service, or add a new one"))

    def validate_url(self, field):
        check_web_address(field)

    def validate_email(self, field):
        check_email(field)

    def validate_phone(self, field):
        check_phone(field)

    def validate_maximum_age(self, field):
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError(_l("The oldest age must be the same as or more than the youngest age"))


class CategoriesForm(Form):
    # The choices (every taxonomy term) are set by the view; the page draws them grouped.
    terms = SelectMultipleField(_l("Categories"), validate_choice=False)

    def validate_terms(self, field):
        known = {c[0] if isinstance(c, tuple) else c.value for c in field.choices}
        if any(term not in known for term in field.data or []):
            raise ValidationError(_l("Choose categories from the list"))


class ContactForm(Form):
    name = StringField(_l("Name"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[DataRequired(_l("Enter the contact's name")),
                                   Length(max=200, message=_l("Name must be 200 characters or fewer"))],
                       description=_l("A person, or a role such as Duty worker"))
    title = StringField(_l("Job title (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                        validators=[Optional(), Length(max=200, message=_l("Job title must be 200 characters or fewer"))])
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(), filters=[blank_to_none])
    phone = StringField(_l("Phone number (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                        description=_l("A UK number, like 01632 960 000"))

    def validate_email(self, field):
        check_email(field)

    def validate_phone(self, field):
        check_phone(field)


class PlaceForm(Form):
    """A new place, or a change to one. The view sets ``find_postcode`` (the postcode table)."""

    name = StringField(_l("Name of the place"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[DataRequired(_l("Enter the name of the place, like Wendford Village Hall")),
                                   Length(max=200, message=_l("Name must be 200 characters or fewer"))])
    address_1 = StringField(_l("Address line 1"), widget=GovTextInput(), filters=[blank_to_none],
                            validators=[DataRequired(_l("Enter the first line of the address")),
                                        Length(max=200, message=_l("Address line 1 must be 200 characters or fewer"))])
    address_2 = StringField(_l("Address line 2 (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                            validators=[Optional(), Length(max=200, message=_l("Address line 2 must be 200 characters or fewer"))])
    city = StringField(_l("Town or city"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[DataRequired(_l("Enter the town or city")),
                                   Length(max=100, message=_l("Town or city must be 100 characters or fewer"))])
    county = StringField(_l("County (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                         validators=[Optional(), Length(max=100, message=_l("County must be 100 characters or fewer"))])
    postcode = StringField(_l("Postcode"), widget=GovTextInput(), filters=[blank_to_none],
                           validators=[DataRequired(_l("Enter the postcode"))],
                           description=_l("Its map position comes from the postcode"))
    accessibility = TextAreaField(
        _l("Access (optional)"), widget=GovTextArea(), filters=[blank_to_none],
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("Access must be 5,000 characters or fewer"))],
        description=_l("For example, step-free entrance, accessible toilet, hearing loop, blue badge parking"))

    find_postcode = None  # the view's lookup: text -> editing.Point or None
    point: editing.Point | None = None

    def validate_postcode(self, field):
        if normalise_postcode(field.data) is None:
            raise ValidationError(_l("Enter a full UK postcode, like QQ6 1AA"))
        self.point = self.find_postcode(field.data) if self.find_postcode else None
        if self.point is None:
            raise ValidationError(_l("%(postcode)s is not in the postcode list, so we cannot put it on the map. "
                                     "Check the postcode. If it is right, ask an admin to load the latest "
                                     "postcode file.", postcode=normalise_postcode(field.data)))

    def details(self) -> editing.PlaceDetails:
        return editing.PlaceDetails(name=self.name.data, address_1=self.address_1.data,
                                    address_2=self.address_2.data, city=self.city.data,
                                    state_province=self.county.data, point=self.point,
                                    accessibility=self.accessibility.data)


class ExistingPlaceForm(Form):
    # The choices (places this service does not use yet) are set by the view.
    location = SelectField(_l("Place"), widget=GovSelect(), validate_choice=False)

    def validate_location(self, field):
        if not field.data or field.data not in [c.value for c in field.choices if c.value]:
            raise ValidationError(_l("Choose a place from the list"))


class ScheduleForm(Form):
    frequency = RadioField(_l("How often it runs"), widget=GovRadioInput(), choices=choices(FREQUENCIES.items()),
                           validators=[DataRequired(_l("Choose how often it runs"))], validate_choice=False)
    days = SelectMultipleField(_l("Days it runs"), widget=GovCheckboxesInput(), choices=choices(DAY_NAMES.items()),
                               validate_choice=False)
    weeks = SelectMultipleField(_l("Which weeks of the month"), widget=GovCheckboxesInput(),
                                choices=choices([(str(k), v) for k, v in WEEK_NAMES.items()]), validate_choice=False,
                                description=_l("Only if it runs once a month or more on certain weeks"))
    opens_at = StringField(_l("Starts at (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                           description=_l("For example, 10:00 or 2:30pm"))
    closes_at = StringField(_l("Ends at (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                            description=_l("For example, 12:00 or 4pm"))
    description = TextAreaField(
        _l("Description (optional)"), widget=GovTextArea(), filters=[blank_to_none],
        # No Optional(): it would stop validate_description, which needs it when there are no days.
        validators=[Length(max=1000, message=_l("Description must be 1,000 characters or fewer"))],
        description=_l("Anything the days and times do not say, like Closed on bank holidays. Needed if it has "
                       "no fixed days: the assistant then says this instead."))

    def validate_frequency(self, field):
        if field.data not in FREQUENCIES:
            raise ValidationError(_l("Choose how often it runs"))

    def validate_days(self, field):
        if any(day not in DAY_NAMES for day in field.data or []):
            raise ValidationError(_l("Choose days from the list"))
        if self.frequency.data in ("weekly", "fortnightly", "monthly") and not field.data:
            raise ValidationError(_l("Choose the days it runs"))

    def validate_weeks(self, field):
        if any(week not in {str(k) for k in WEEK_NAMES} for week in field.data or []):
            raise ValidationError(_l("Choose weeks from the list"))
        if self.frequency.data == "monthly" and not field.data:
            raise ValidationError(_l("Choose which weeks of the month it runs"))

    def validate_opens_at(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError(_l("Enter the start time like 10:00 or 2:30pm"))

    def validate_closes_at(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError(_l("Enter the end time like 12:00 or 4pm"))
        start, end = parse_time(self.opens_at.data), parse_time(field.data)
        if start and end and end <= start:
            raise ValidationError(_l("The end time must be after the start time"))

    def validate_description(self, field):
        if self.frequency.data == "other" and not field.data:
            raise ValidationError(_l("Describe when it runs, like By appointment, Monday to Friday"))

    def details(self) -> editing.ScheduleDetails:
        return editing.schedule_details(
            self.frequency.data, self.days.data or [], [int(w) for w in self.weeks.data or []],
            parse_time(self.opens_at.data), parse_time(self.closes_at.data), self.description.data)


class OrganisationForm(Form):
    name = StringField(_l("Name"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[DataRequired(_l("Enter the organisation's name")),
                                   Length(max=200, message=_l("Name must be 200 characters or fewer"))])
    description = TextAreaField(
        _l("Description (optional)"), widget=GovTextArea(), filters=[blank_to_none],
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("Description must be 5,000 characters or fewer"))],
        description=_l("What the organisation is, in a sentence or two"))
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(), filters=[blank_to_none])
    website = StringField(_l("Website (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                          validators=[Optional(), Length(max=500, message=_l("Website must be 500 characters or fewer"))])

    def validate_email(self, field):
        check_email(field)

    def validate_website(self, field):
        check_web_address(field)
