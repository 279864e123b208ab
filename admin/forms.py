"""The admin's forms: Flask-WTF (so each carries a CSRF token) with GOV.UK Frontend widgets.

Error messages follow the GOV.UK Design System: say what to do ("Enter a title"), not what
went wrong.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from content.render import FORMATS

from .accounts import EMAIL, normalise_email, password_problem
from .audit import ACTIONS
from .models import ROLES


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = choices([
    ("editor", _l("Editor – writes and edits advice, and sends it for review")),
    ("approver", _l("Approver – also publishes other people's drafts and changes figures")),
    ("admin", _l("Admin – also manages users, reads the audit log, imports and exports")),
])
ROLE_NAMES = {"editor": _l("editor"), "approver": _l("approver"), "admin": _l("admin")}  # as a sentence says them
ROLE_TITLES = {"editor": _l("Editor"), "approver": _l("Approver"), "admin": _l("Admin")}  # as a table heads them
assert [choice.value for choice in ROLE_CHOICES] == list(ROLES)


class GovDateField(DateField):
    """Day, month and year boxes (the GOV.UK date input); all empty means no date."""

    widget = GovDateInput()

    def __init__(self, label, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        # No Optional(): it looks only at the day box, and would let "  11 2026" through.
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        if not any(part.strip() for part in valuelist or []):
            self.data, self.raw_data = None, None  # the widget wants None, not [], for "nothing sent"
            return
        if len(valuelist) != 3:
            self.data, self.raw_data = None, None
            raise ValueError(self.not_a_date())
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            raise ValueError(self.not_a_date()) from None

    def not_a_date(self) -> str:
        return gettext("%(field)s must be a real date, like 20 11 2026", field=self.label.text)


class _WTFormsMessages:
    """WTForms' own messages ("Not a valid choice."), said the GOV.UK way ("say what to do") in
    the staff member's language; any others come from WTForms' catalogs through Flask-WTF."""

    OWN = {
        "Not a valid choice.": _l("Choose one of the options"),
        "Not a valid decimal value.": _l("Enter the amount as a number, like 86.45"),
        "Not a valid integer value.": _l("Enter a whole number, like 2"),
    }

    def gettext(self, string):
        own = self.OWN.get(string)
        return str(own) if own is not None else wtforms_translations.gettext(string)

    def ngettext(self, singular, plural, n):
        return wtforms_translations.ngettext(singular, plural, n)


class Form(FlaskForm):
    """The admin's forms: a CSRF token, and every message in the staff member's language."""

    class Meta:
        def get_translations(self, form):
            return _WTFormsMessages()


class ActionForm(Form):
    """A form with only its CSRF token, for buttons that act (submit, publish, disable...)."""


class LoginForm(Form):
    # Paste and password managers must work (WCAG 3.3.8), so nothing here blocks them; the
    # autocomplete hints help password managers fill the right fields.
    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[DataRequired(_l("Enter your email address"))])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[DataRequired(_l("Enter your password"))])


class EditForm(Form):
    base_version = HiddenField()
    title = StringField(_l("Title"), widget=GovTextInput(),
                        validators=[DataRequired(_l("Enter a title")),
                                    Length(max=200, message=_l("Title must be 200 characters or fewer"))])
    body = TextAreaField(_l("Answer"), widget=GovTextArea(), validators=[DataRequired(_l("Enter the answer"))],
                         description=_l("Markdown: paragraphs, lists starting with '- ', **bold** and "
                                        "[links](https://...). Placeholders like {{phone.adult_social_care}} "
                                        "are filled in when the answer is sent."))
    sms_body = TextAreaField(_l("Text message version"), widget=GovTextArea(),
                             description=_l("Plain text, no Markdown. At most 2 text messages once the "
                                            "placeholders are filled in."))
    owner = StringField(_l("Owner"), widget=GovTextInput(),
                        validators=[Length(max=200, message=_l("Owner must be 200 characters or fewer"))],
                        description=_l("The team responsible for keeping this answer right"))
    reviewed = GovDateField(_l("Last reviewed"), description=_l("For example, 20 11 2026"))
    review_due = GovDateField(_l("Review due"), description=_l("When someone must check it again"))

    def validate_review_due(self, field):
        if field.data and self.reviewed.data and field.data < self.reviewed.data:
            raise ValidationError(_l("Review due must be after the last reviewed date"))


class ReturnForm(Form):
    comment = TextAreaField(_l("What needs to change"), widget=GovTextArea(),
                            validators=[DataRequired(_l("Say what needs to change before you return the draft"))])


class NewUserForm(Form):
    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[DataRequired(_l("Enter an email address"))])
    role = RadioField(_l("Role"), widget=GovRadioInput(), choices=ROLE_CHOICES,
                      validators=[InputRequired(_l("Choose a role"))])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[DataRequired(_l("Enter a password"))],
                             description=_l("At least 12 characters. Give it to them in person or by phone, "
                                            "never in the same email as their address."))

    def validate_email(self, field):
        if not EMAIL.match(normalise_email(field.data)):
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.gov.uk"))

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.email.data or "")
        if problem:
            raise ValidationError(problem)


class RoleForm(Form):
    role = RadioField(_l("Role"), widget=GovRadioInput(), choices=ROLE_CHOICES,
                      validators=[InputRequired(_l("Choose a role"))])


class FigureForm(Form):
    value = DecimalField(_l("Amount"), widget=GovTextInput(), places=None,
                         validators=[InputRequired(_l("Enter the amount, like 86.45")),
                                     NumberRange(min=Decimal("0"), message=_l("Amount must be 0 or more"))])
    format = SelectField(_l("Shown as"), widget=GovSelect(), choices=choices([
        ("money", _l("Money, like £1,000")), ("money_week", _l("Money a week, like £86.45 a week")),
        ("money_month", _l("Money a month, like £400 a month")), ("number", _l("A number, like 23,250"))]))
    applies = StringField(_l("Applies to"), widget=GovTextInput(),
                          validators=[DataRequired(_l("Enter the year it applies to, like 2026/27, or 'standing'")),
                                      Length(max=20, message=_l("Applies to must be 20 characters or fewer"))],
                          description=_l("The year, like 2026/27, or 'standing' for a fixed rule"))
    source = StringField(_l("Source"), widget=GovTextInput(),
                         validators=[Optional(), URL(message=_l("Enter the source as a web address starting https://"))])
    note = TextAreaField(_l("Note for staff"), widget=GovTextArea(), validators=[Optional()])

    def validate_value(self, field):
        # The figures table holds up to 12 digits, 2 after the point.
        if field.data is not None and (not field.data.is_finite() or field.data >= Decimal("10000000000")):
            raise ValidationError(_l("Amount must be less than 10,000,000,000"))

    def validate_source(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter the source as a web address starting https://"))

    def validate_format(self, field):
        if field.data not in FORMATS:
            raise ValidationError(_l("Choose how the amount is shown"))


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a search, sent with GET: it changes nothing

    actor = SelectField(_l("User"), widget=GovSelect(), validators=[Optional()])
    action = SelectField(_l("Action"), widget=GovSelect(), validators=[Optional()],
                         choices=choices([("", _l("Any action")), *ACTIONS.items()]))
    date_from = GovDateField(_l("From"))
    date_to = GovDateField(_l("To"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])


# The referral queue: what staff call each status, urgency and risk.
REFERRAL_STATUSES = {"new": _l("New"), "triaged": _l("Triaged"), "in_progress": _l("In progress"),
                     "closed": _l("Closed")}
REFERRAL_URGENCIES = {"today": _l("Today"), "week": _l("This week"), "later": _l("Later")}


class ReferralFilterForm(Form):
    class Meta:
        csrf = False  # a search, sent with GET: it changes nothing

    status = SelectField(_l("Status"), widget=GovSelect(), validators=[Optional()],
                         choices=choices([("", _l("Any status")), *REFERRAL_STATUSES.items()]))
    urgency = SelectField(_l("Urgency"), widget=GovSelect(), validators=[Optional()],
                          choices=choices([("", _l("Any urgency")), *REFERRAL_URGENCIES.items()]))
    mine = BooleanField(_l("Only referrals assigned to me"), widget=GovCheckboxInput())
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])


class ReferralStatusForm(Form):
    status = RadioField(_l("Status"), widget=GovRadioInput(), choices=choices(REFERRAL_STATUSES.items()),
                        validators=[InputRequired(_l("Choose a status"))], validate_choice=False)

    def validate_status(self, field):
        if field.data not in REFERRAL_STATUSES:
            raise ValidationError(_l("Choose a status"))


class ReferralAssignForm(Form):
    # The choices (active approvers and admins) are set by the view.
    assigned_to = SelectField(_l("Assigned to"), widget=GovSelect(), validate_choice=False)

    def validate_assigned_to(self, field):
        if field.data not in [choice.value for choice in field.choices]:
            raise ValidationError(_l("Choose someone from the list, or nobody"))


class ReferralNoteForm(Form):
    body = TextAreaField(_l("Note"), widget=GovTextArea(),
                         validators=[DataRequired(_l("Enter the note")),
                                     Length(max=5000, message=_l("Note must be 5,000 characters or fewer"))],
                         description=_l("Staff only. Residents never see notes."))
