"""The admin's forms: Flask-WTF (so each carries a CSRF token) with GOV.UK Frontend widgets.

Error messages follow the GOV.UK Design System: say what to do ("Enter a title"), not what
went wrong.
"""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
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
    ("editor", "Editor – writes and edits advice, and sends it for review"),
    ("approver", "Approver – also publishes other people's drafts and changes figures"),
    ("admin", "Admin – also manages users, reads the audit log, imports and exports"),
])
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
            raise ValueError(f"{self.label.text} must be a real date, like 20 11 2026")
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date, like 20 11 2026") from None


class ActionForm(FlaskForm):
    """A form with only its CSRF token, for buttons that act (submit, publish, disable...)."""


class LoginForm(FlaskForm):
    # Paste and password managers must work (WCAG 3.3.8), so nothing here blocks them; the
    # autocomplete hints help password managers fill the right fields.
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password")])


class EditForm(FlaskForm):
    base_version = HiddenField()
    title = StringField("Title", widget=GovTextInput(),
                        validators=[DataRequired("Enter a title"),
                                    Length(max=200, message="Title must be 200 characters or fewer")])
    body = TextAreaField("Answer", widget=GovTextArea(), validators=[DataRequired("Enter the answer")],
                         description="Markdown: paragraphs, lists starting with '- ', **bold** and "
                                     "[links](https://...). Placeholders like {{phone.adult_social_care}} "
                                     "are filled in when the answer is sent.")
    sms_body = TextAreaField("Text message version", widget=GovTextArea(),
                             description="Plain text, no Markdown. At most 2 text messages once the "
                                         "placeholders are filled in.")
    owner = StringField("Owner", widget=GovTextInput(), validators=[Length(max=200)],
                        description="The team responsible for keeping this answer right")
    reviewed = GovDateField("Last reviewed", description="For example, 20 11 2026")
    review_due = GovDateField("Review due", description="When someone must check it again")

    def validate_review_due(self, field):
        if field.data and self.reviewed.data and field.data < self.reviewed.data:
            raise ValidationError("Review due must be after the last reviewed date")


class ReturnForm(FlaskForm):
    comment = TextAreaField("What needs to change", widget=GovTextArea(),
                            validators=[DataRequired("Say what needs to change before you return the draft")])


class NewUserForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[DataRequired("Enter an email address")])
    role = RadioField("Role", widget=GovRadioInput(), choices=ROLE_CHOICES,
                      validators=[InputRequired("Choose a role")])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[DataRequired("Enter a password")],
                             description="At least 12 characters. Give it to them in person or by phone, "
                                         "never in the same email as their address.")

    def validate_email(self, field):
        if not EMAIL.match(normalise_email(field.data)):
            raise ValidationError("Enter an email address in the correct format, like name@example.gov.uk")

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.email.data or "")
        if problem:
            raise ValidationError(problem)


class RoleForm(FlaskForm):
    role = RadioField("Role", widget=GovRadioInput(), choices=ROLE_CHOICES,
                      validators=[InputRequired("Choose a role")])


class FigureForm(FlaskForm):
    value = DecimalField("Amount", widget=GovTextInput(), places=None,
                         validators=[InputRequired("Enter the amount, like 86.45"),
                                     NumberRange(min=Decimal("0"), message="Amount must be 0 or more")])
    format = SelectField("Shown as", widget=GovSelect(), choices=choices([
        ("money", "Money, like £1,000"), ("money_week", "Money a week, like £86.45 a week"),
        ("money_month", "Money a month, like £400 a month"), ("number", "A number, like 23,250")]))
    applies = StringField("Applies to", widget=GovTextInput(),
                          validators=[DataRequired("Enter the year it applies to, like 2026/27, or 'standing'"),
                                      Length(max=20)],
                          description="The year, like 2026/27, or 'standing' for a fixed rule")
    source = StringField("Source", widget=GovTextInput(),
                         validators=[Optional(), URL(message="Enter the source as a web address starting https://")])
    note = TextAreaField("Note for staff", widget=GovTextArea(), validators=[Optional()])

    def validate_value(self, field):
        # The figures table holds up to 12 digits, 2 after the point.
        if field.data is not None and (not field.data.is_finite() or field.data >= Decimal("10000000000")):
            raise ValidationError("Amount must be less than 10,000,000,000")

    def validate_source(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter the source as a web address starting https://")

    def validate_format(self, field):
        if field.data not in FORMATS:
            raise ValidationError("Choose how the amount is shown")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search, sent with GET: it changes nothing

    actor = SelectField("User", widget=GovSelect(), validators=[Optional()])
    action = SelectField("Action", widget=GovSelect(), validators=[Optional()],
                         choices=choices([("", "Any action"), *ACTIONS.items()]))
    date_from = GovDateField("From")
    date_to = GovDateField("To")
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])


# The referral queue: what staff call each status, urgency and risk.
REFERRAL_STATUSES = {"new": "New", "triaged": "Triaged", "in_progress": "In progress", "closed": "Closed"}
REFERRAL_URGENCIES = {"today": "Today", "week": "This week", "later": "Later"}


class ReferralFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search, sent with GET: it changes nothing

    status = SelectField("Status", widget=GovSelect(), validators=[Optional()],
                         choices=choices([("", "Any status"), *REFERRAL_STATUSES.items()]))
    urgency = SelectField("Urgency", widget=GovSelect(), validators=[Optional()],
                          choices=choices([("", "Any urgency"), *REFERRAL_URGENCIES.items()]))
    mine = BooleanField("Only referrals assigned to me", widget=GovCheckboxInput())
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])


class ReferralStatusForm(FlaskForm):
    status = RadioField("Status", widget=GovRadioInput(), choices=choices(REFERRAL_STATUSES.items()),
                        validators=[InputRequired("Choose a status")], validate_choice=False)

    def validate_status(self, field):
        if field.data not in REFERRAL_STATUSES:
            raise ValidationError("Choose a status")


class ReferralAssignForm(FlaskForm):
    # The choices (active approvers and admins) are set by the view.
    assigned_to = SelectField("Assigned to", widget=GovSelect(), validate_choice=False)

    def validate_assigned_to(self, field):
        if field.data not in [choice.value for choice in field.choices]:
            raise ValidationError("Choose someone from the list, or nobody")


class ReferralNoteForm(FlaskForm):
    body = TextAreaField("Note", widget=GovTextArea(),
                         validators=[DataRequired("Enter the note"),
                                     Length(max=5000, message="Note must be 5,000 characters or fewer")],
                         description="Staff only. Residents never see notes.")
