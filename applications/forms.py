"""The candidates' forms: an application to an offer, a spontaneous application, an internship request.

Each is bound to an unsaved `Application` that the view built with its kind,
organisation and offer; none of those can be posted.
"""

import hashlib
import re
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.documents import DocumentType, inspect_document, megabytes
from applications.models import Application, Document

ACCEPTED_FILES = ",".join([t.extension for t in DocumentType] + [t.mime_type for t in DocumentType])
HONEYPOT = "website"

DUPLICATE_APPLICATION = _(
    "You have already applied to this offer with this e-mail address. To send a new application, "
    "first erase the earlier one with the private link in the e-mail you received then."
)
NOTICE_CHANGED = _(
    "The privacy notice changed while you were filling in the form. Please read it again below and send the form again."
)

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ().\-/]{5,28}$", _("Enter a phone number with digits, for example +32 470 12 34 56.")
)


def privacy_notice(organisation) -> str:
    """The privacy notice for an application to `organisation`, in the active language, as shown and stored."""
    text = render_to_string("applications/privacy_notice.txt", {"organisation": organisation})
    return re.sub(r"\n{3,}", "\n\n", text.strip())


def notice_digest(notice: str) -> str:
    return hashlib.sha256(notice.encode()).hexdigest()[:32]


class DocumentField(forms.FileField):
    """A CV, a letter or another document, judged by its content; the cleaned file carries its `document_type`."""

    widget = forms.FileInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPTED_FILES

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.document_type = inspect_document(upload, settings.MAX_DOCUMENT_BYTES)
        return upload


class CandidateForm(forms.ModelForm):
    cv = DocumentField(label=_("CV"))
    letter = DocumentField(label=_("Cover letter"), required=False)
    consents_to_political_data = forms.BooleanField(required=True)
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # A trap for robots: hidden from people and from screen readers, so anything in it came from a script.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    document_kinds = {"cv": Document.Kind.CV, "letter": Document.Kind.LETTER}

    class Meta:
        model = Application
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "message",
            "consents_to_political_data",
            "consents_to_talent_pool",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.instance.organisation
        self.privacy_notice = privacy_notice(organisation)
        self.notice_digest = notice_digest(self.privacy_notice)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["message"].help_text = _("Optional. Anything you want the recruiters to know.")
        self.fields["consents_to_political_data"].label = _(
            "I explicitly consent to %(name)s processing the political opinion my application reveals, "
            "for this application only."
        ) % {"name": organisation.name}
        months = organisation.talent_pool_months
        self.fields["consents_to_talent_pool"].label = ngettext(
            "Optional: %(name)s may keep my application for %(months)s month after our last contact, "
            "to consider me for other positions.",
            "Optional: %(name)s may keep my application for %(months)s months after our last contact, "
            "to consider me for other positions.",
            months,
        ) % {"name": organisation.name, "months": months}
        limit = megabytes(settings.MAX_DOCUMENT_BYTES)
        for name in self.document_kinds:
            self.fields[name].help_text = _("PDF, DOCX or ODT, %(limit)s MB at most.") % {"limit": limit}
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4()
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout())
        # In the order of the page, for the summary of errors at its top.
        self.order_fields([pointer.name for pointer in self.helper.layout.get_field_names()])

    def layout(self) -> list:
        return [
            self.identity_fieldset(),
            self.documents_fieldset(),
            Fieldset(_("Your message"), "message"),
            self.privacy_fieldset(),
            *self.hidden_parts(),
        ]

    def identity_fieldset(self):
        return Fieldset(
            _("About you"),
            Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
            Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
        )

    def documents_fieldset(self):
        return Fieldset(_("Your documents"), *self.document_kinds)

    def privacy_fieldset(self, *extra):
        return Fieldset(
            _("Your data"),
            HTML('<div class="privacy-notice bg-light border rounded p-3 mb-3">{{ privacy_notice|linebreaks }}</div>'),
            "consents_to_political_data",
            "consents_to_talent_pool",
            *extra,
        )

    def hidden_parts(self):
        # Off-screen (static/css/site.css), not display:none, which robots learn to skip.
        trap = Div(HONEYPOT, css_class="jb-trap", aria_hidden="true")
        return [trap, "submission_key"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.is_duplicate(email):
            raise ValidationError(DUPLICATE_APPLICATION, code="duplicate")
        return email

    def is_duplicate(self, email=None) -> bool:
        """Whether this e-mail already applied to the offer (the database constraint's rule, told in words)."""
        email = email or self.cleaned_data.get("email")
        offer = self.instance.offer
        return bool(email and offer) and (
            Application.objects.filter(offer=offer, email__iexact=email, erased_at__isnull=True).exists()
        )

    def clean_submission_key(self):
        return self.cleaned_data.get("submission_key") or uuid.uuid4()

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get("notice_digest") != self.notice_digest:
            raise ValidationError(NOTICE_CHANGED, code="notice_changed")
        return cleaned_data

    def documents(self):
        """(kind, uploaded file) of each document sent; each file has its `document_type`."""
        return [
            (kind, self.cleaned_data[name]) for name, kind in self.document_kinds.items() if self.cleaned_data.get(name)
        ]

    def files_to_attach_again(self) -> list[str]:
        """Labels of the files the candidate sent with a form that came back with errors.

        Browsers never keep a chosen file across a page load: each such field
        says so next to it, and the page lists them at the top."""
        names = [name for name in self.document_kinds if name in self.files]
        for name in names:
            # The bound field copied the help text when validation made it.
            self.fields[name].help_text = self[name].help_text = format_html(
                '<strong class="text-danger">{}</strong> {}',
                _("Choose this file again: browsers do not keep files when a form comes back with an error."),
                self.fields[name].help_text,
            )
        return [self.fields[name].label for name in names]


class OfferApplicationForm(CandidateForm):
    other = DocumentField(required=False)

    class Meta(CandidateForm.Meta):
        fields = [*CandidateForm.Meta.fields, "is_discreet"]

    def __init__(self, *args, instance, **kwargs):
        offer = instance.offer
        self.document_kinds = dict(CandidateForm.document_kinds)
        if offer.other_documents:
            self.document_kinds["other"] = Document.Kind.OTHER
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["cv"].required = offer.asks_for_cv
        self.fields["letter"].required = offer.asks_for_letter
        if offer.other_documents:
            self.fields["other"].label = offer.other_documents
        else:
            del self.fields["other"]
        self.fields["is_discreet"].help_text = _("Only the recruiters in charge of this offer will see your identity.")

    def privacy_fieldset(self, *extra):
        return super().privacy_fieldset("is_discreet", *extra)


class SpontaneousApplicationForm(CandidateForm):
    pass


class InternshipRequestForm(CandidateForm):
    needs_agreement = forms.TypedChoiceField(
        label=_("Do you need an internship agreement?"),
        help_text=_("The agreement your school signs with the host organisation."),
        choices=[(True, _("Yes")), (False, _("No"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )

    class Meta(CandidateForm.Meta):
        fields = [
            *CandidateForm.Meta.fields,
            "school",
            "study_programme",
            "period_start",
            "period_end",
            "needs_agreement",
            "interests",
        ]
        widgets = {
            **CandidateForm.Meta.widgets,
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "interests": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("school", "study_programme", "period_start", "period_end"):
            self.fields[name].required = True
        self.fields["interests"].help_text = _("Optional. The subjects or kinds of work you would like to do.")

    def layout(self) -> list:
        return [
            self.identity_fieldset(),
            Fieldset(
                _("Your internship"),
                Row(Column("school", css_class="col-md-6"), Column("study_programme", css_class="col-md-6")),
                Row(Column("period_start", css_class="col-md-6"), Column("period_end", css_class="col-md-6")),
                "needs_agreement",
                "interests",
            ),
            self.documents_fieldset(),
            Fieldset(_("Your message"), "message"),
            self.privacy_fieldset(),
            *self.hidden_parts(),
        ]

    def clean_period_start(self):
        start = self.cleaned_data["period_start"]
        if start < timezone.localdate():
            raise ValidationError(_("The period cannot start in the past."), code="past")
        return start


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my application and my documents will be deleted for good."),
        required=True,
    )
