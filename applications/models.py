"""Applications, their documents, the recruiters' pipeline and the e-mail outbox.

Personal data has an end: every application carries `erase_after`, moved by
each step of the pipeline, and `erase()` anonymises it for good.
"""

import calendar
import hashlib
import logging
import secrets
import uuid
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import private_links, scanning
from offers.models import Membership, Offer, Organisation, organisations_of

logger = logging.getLogger(__name__)


def private_storage():
    return storages["private"]


def document_path(document, filename: str) -> str:
    """A random name: nothing of the candidate's own file name reaches the disk."""
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def identity_visible(user, prefix: str = "") -> Q:
    """Applications (reached through `prefix`, e.g. "application__") whose candidate `user` may see.

    Everyone in the organisation sees an ordinary application. A discreet one is
    seen by superusers and by the recruiters in charge of its offer
    (`offer.recruiters`); without an offer (spontaneous, internship), by the
    organisation's admins.
    """
    if user.is_superuser:
        return Q()
    in_charge = Offer.recruiters.through.objects.filter(offer_id=OuterRef(f"{prefix}offer_id"), user_id=user.pk)
    administered = Membership.objects.filter(user_id=user.pk, role=Membership.Role.ADMIN).values("organisation_id")
    return (
        Q(**{f"{prefix}is_discreet": False})
        | Q(Exists(in_charge))
        | Q(**{f"{prefix}offer__isnull": True, f"{prefix}organisation__in": administered})
    )


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The one staff-visibility rule: applications to the user's organisations."""
        return self.filter(organisation__in=organisations_of(user))

    def with_identity(self, user):
        """Annotate each application with `shows_identity`: may `user` see who the candidate is."""
        if user.is_superuser:
            return self.annotate(shows_identity=Value(True, output_field=models.BooleanField()))
        return self.annotate(
            shows_identity=ExpressionWrapper(identity_visible(user), output_field=models.BooleanField())
        )

    def awaiting_answer(self):
        """Received or in review, with the organisation's answer delay passed."""
        return self.filter(
            status__in=Application.WAITING_STATUSES, answered_at__isnull=True, answer_due_at__lte=timezone.now()
        )

    def due_for_erasure(self, today=None):
        today = today or timezone.localdate()
        return self.filter(erased_at__isnull=True, erase_after__lte=today)


class Application(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Application to an offer")
        SPONTANEOUS = "spontaneous", _("Spontaneous application")
        INTERNSHIP = "internship", _("Internship request")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        WRITTEN_TEST = "written_test", _("Written test")
        INTERVIEW = "interview", _("Interview")
        OFFER_MADE = "offer_made", _("Offer made")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    WAITING_STATUSES = (Status.RECEIVED, Status.IN_REVIEW)
    OUTCOME_STATUSES = (Status.HIRED, Status.REJECTED, Status.WITHDRAWN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OFFER)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="applications"
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)

    # The candidate
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=5000)
    language = models.CharField(_("language"), max_length=5, default="fr", help_text=_("Of the page they applied on."))

    # Internship requests
    school = models.CharField(_("school or university"), max_length=200, blank=True)
    study_programme = models.CharField(_("study programme"), max_length=200, blank=True)
    period_start = models.DateField(_("wished from"), null=True, blank=True)
    period_end = models.DateField(_("wished until"), null=True, blank=True)
    needs_agreement = models.BooleanField(_("needs an internship agreement"), null=True, blank=True)
    interests = models.TextField(_("fields of interest"), blank=True, max_length=2000)

    # Consent, as shown and given
    privacy_notice = models.TextField(_("privacy notice shown"))
    consents_to_political_data = models.BooleanField(
        _("consents to the processing of their political opinion"), default=False
    )
    consents_to_talent_pool = models.BooleanField(_("may be considered for other positions"), default=False)
    is_discreet = models.BooleanField(
        _("discreet application"),
        default=False,
        help_text=_("Only the recruiters in charge of the offer see the candidate's identity."),
    )

    # Set by the form when it is shown, so a double submit stores one application.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # The candidate's private link: only its hash is kept.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), default=timezone.now)
    erase_after = models.DateField(_("erase on"), null=True, blank=True, db_index=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="applications_org_status"),
            # The recruiters' list: an organisation's applications, newest first.
            models.Index(fields=["organisation", "-created_at"], name="applications_org_newest"),
            models.Index(fields=["offer", "status"], name="applications_offer_status"),
            models.Index(fields=["email"], name="applications_by_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "email"],
                condition=Q(offer__isnull=False, erased_at__isnull=True),
                name="applications_once_per_offer_and_email",
            ),
            models.CheckConstraint(
                condition=Q(kind="offer", offer__isnull=False) | (~Q(kind="offer") & Q(offer__isnull=True)),
                name="applications_offer_matches_kind",
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return str(_("Erased application"))
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("admin:applications_application_change", args=[self.pk])

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_awaiting_answer(self) -> bool:
        return (
            self.status in self.WAITING_STATUSES
            and self.answered_at is None
            and self.answer_due_at is not None
            and self.answer_due_at <= timezone.now()
        )

    def clean(self):
        if self.email:
            self.email = self.email.strip().lower()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period cannot come before its start.")})

    def issue_token(self) -> str:
        """A new secret link for the candidate; returns the token, keeps its hash."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    def plan(self, now=None):
        """Set the answer and erasure dates of a new application from its organisation's rules."""
        now = now or timezone.now()
        self.answer_due_at = now + timedelta(days=self.organisation.answer_within_days)
        self.erase_after = self.erasure_date()

    def erasure_date(self) -> date:
        """When the personal data must go, by the organisation's rules.

        After an outcome (hired, rejected, withdrawn): `keep_after_outcome_months`
        later, or `talent_pool_months` after the last contact for candidates who
        agreed to be kept for other positions (but not the hired: their data leaves
        recruitment). While the process runs: the talent-pool delay after the
        last contact, as an upper bound.
        """
        organisation = self.organisation
        last_contact = timezone.localdate(self.last_contact_at)
        if self.status in self.OUTCOME_STATUSES:
            if self.consents_to_talent_pool and self.status != self.Status.HIRED:
                return add_months(last_contact, organisation.talent_pool_months)
            return add_months(timezone.localdate(self.status_changed_at), organisation.keep_after_outcome_months)
        return add_months(last_contact, organisation.talent_pool_months)

    def move_to(self, status, by=None, note: str = "") -> "StatusChange":
        """Move along the pipeline, record who did it, and move the erasure date."""
        if self.is_erased:
            raise ValidationError(_("This application has been erased."))
        if status == self.status:
            raise ValidationError(_("The application already has this status."))
        if self.status == self.Status.WITHDRAWN:
            raise ValidationError(_("The candidate withdrew this application; it cannot move any more."))
        now = timezone.now()
        change = StatusChange(
            application=self, from_status=self.status, to_status=status, changed_by=by, changed_at=now, note=note
        )
        self.status = status
        self.status_changed_at = now
        if by is not None and self.answered_at is None and status not in self.WAITING_STATUSES:
            self.answered_at = now
        self.erase_after = self.erasure_date()
        with transaction.atomic():
            self.save(update_fields=["status", "status_changed_at", "answered_at", "erase_after", "updated_at"])
            change.save()
        return change

    def record_contact(self, at=None):
        """A message went to the candidate: it counts as an answer and as contact."""
        at = at or timezone.now()
        self.last_contact_at = at
        self.answered_at = self.answered_at or at
        self.erase_after = self.erasure_date()
        self.save(update_fields=["last_contact_at", "answered_at", "erase_after", "updated_at"])

    def withdraw(self):
        """The candidate's own withdrawal, from their private link."""
        if self.status in self.OUTCOME_STATUSES:
            raise ValidationError(_("This application can no longer be withdrawn."))
        return self.move_to(self.Status.WITHDRAWN)

    def erase(self):
        """Anonymise for good: files deleted, personal fields emptied, a row left for statistics."""
        if self.is_erased:
            return
        files = [document.file.name for document in self.documents.all()]
        with transaction.atomic():
            self.documents.all().delete()
            self.notes.all().delete()
            self.emails.all().delete()
            self.status_changes.update(note="")
            for field in (
                "first_name", "last_name", "email", "phone", "message", "school", "study_programme", "interests",
            ):  # fmt: skip
                setattr(self, field, "")
            self.period_start = self.period_end = self.needs_agreement = None
            self.token_hash = None
            self.erased_at = timezone.now()
            self.save()
            # Files go once the rows are gone for good.
            transaction.on_commit(lambda: delete_files(files))


def delete_files(names):
    """Delete files from the private storage, as far as it answers: the candidate's erasure is
    done (the rows are gone), and `delete_orphan_files` removes what is left here later."""
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s from the private storage; delete_orphan_files will.", name)


class DocumentQuerySet(models.QuerySet):
    def awaiting_scan(self):
        """Documents the malware scanner has yet to clear: never scanned or a failed scan, never tried first.

        Also those marked "not scanned" for want of a scanner, once there is one."""
        statuses = [Document.ScanStatus.PENDING, Document.ScanStatus.FAILED]
        if scanning.configured():
            statuses.append(Document.ScanStatus.NOT_SCANNED)
        return self.filter(scan_status__in=statuses).order_by(
            models.F("scanned_at").asc(nulls_first=True), "uploaded_at", "pk"
        )


class Document(models.Model):
    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        LETTER = "letter", _("Cover letter")
        OTHER = "other", _("Other document")

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for the malware scan")
        CLEAN = "clean", _("No malware found")
        INFECTED = "infected", _("Blocked: malware found")
        FAILED = "failed", _("Not scanned yet: the scan failed")
        NOT_SCANNED = "not_scanned", _("Not scanned (no scanner configured)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # Pending until the scanner has read the file (applications.scanning); only a clean one is downloaded.
    scan_status = models.CharField(
        _("malware scan"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    scanned_at = models.DateTimeField(_("scanned"), null=True, blank=True)
    # The malware's name when infected, the scanner's error when the scan failed.
    scan_detail = models.CharField(_("scan detail"), max_length=200, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at"]
        indexes = [models.Index(fields=["scan_status"], name="applications_document_scan")]

    def __str__(self):
        return self.original_name

    @property
    def is_downloadable(self) -> bool:
        """Found clean by the scanner, or not scanned where no scanner is configured nor required (development)."""
        if self.scan_status == self.ScanStatus.CLEAN:
            return True
        return self.scan_status == self.ScanStatus.NOT_SCANNED and scanning.unscanned_allowed()

    def scan(self) -> "Document.ScanStatus | None":
        """Have the scanner read the file and record its verdict (see record_scan for what it returns).

        Without a scanner: "not scanned" where none is required, a failed scan otherwise, so that
        the document stays blocked. Malware found is written to the organisation's audit log."""
        if scanning.missing():
            return self.record_scan(self.ScanStatus.FAILED, "No scanner configured (CLAMAV_SOCKET or CLAMAV_HOST).")
        if not scanning.configured():
            return self.record_scan(self.ScanStatus.NOT_SCANNED)
        try:
            with self.file.open("rb") as file:
                signature = scanning.find_malware(file)
        except scanning.ScanFailed as error:
            return self.record_scan(self.ScanStatus.FAILED, str(error))
        except Exception as error:  # the storage could not be read (a missing file, the network): tried again
            return self.record_scan(self.ScanStatus.FAILED, f"The file could not be read: {error!r}")
        if signature:
            return self.record_scan(self.ScanStatus.INFECTED, signature)
        return self.record_scan(self.ScanStatus.CLEAN)

    def record_scan(self, status, detail: str = "") -> "Document.ScanStatus | None":
        """Write a verdict over the status the document had when its scan began; the status recorded.

        Should another process have recorded one meanwhile (a worker and `scan_documents` on the same
        document), that one stands (one verdict, one audit event) and None is returned; None too for
        a document erased meanwhile."""
        detail, now = detail[: self._meta.get_field("scan_detail").max_length], timezone.now()
        with transaction.atomic():
            recorded = Document.objects.filter(pk=self.pk, scan_status=self.scan_status).update(
                scan_status=status, scan_detail=detail, scanned_at=now
            )
            if recorded and status == self.ScanStatus.INFECTED:
                AuditEvent.record(
                    AuditEvent.Action.MALWARE_FOUND,
                    self.application.organisation_id,
                    application=self.application,
                    detail=f"{self.kind}: {detail}",
                )
        if not recorded:
            return None
        self.scan_status, self.scan_detail, self.scanned_at = status, detail, now
        return self.ScanStatus(status)


class StatusChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=Application.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Application.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("history")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Note(models.Model):
    """A recruiter's private note on an application; never shown to the candidate."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class MessageTemplate(models.Model):
    """A message recruiters send to candidates, per organisation and language.

    Placeholders: {first_name}, {last_name}, {offer}, {organisation}.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        WRITTEN_TEST = "written_test", _("Written test")
        REJECTION = "rejection", _("Rejection")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="message_templates"
    )
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.OTHER)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["organisation", "name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "language"], name="applications_template_unique_name"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


class EmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Email.Status.PENDING)


class Email(models.Model):
    """The outbox: every e-mail is a row first, sent after the commit and retried until it goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed for good")

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Acknowledgement to the candidate")
        NEW_APPLICATION = "new_application", _("Notice to recruiters")
        MESSAGE = "message", _("Message to the candidate")

    MAX_ATTEMPTS = 10

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="emails")
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="applications_email_outbox")]

    def __str__(self):
        return self.subject

    @admin.display(description=_("body"))
    def body_without_private_link(self) -> str:
        """The body as staff may read it: the candidate's private link is the candidate's alone."""
        return private_links.redact(self.body)


class AuditEvent(models.Model):
    """Who did what to personal data, and when: an append-only log for the organisation's admins.

    An event outlives the application it is about (erased, or deleted), so it
    names no candidate: `detail` holds counts, document kinds and statuses only.
    """

    class Action(models.TextChoices):
        DOWNLOAD = "download", _("Document downloaded")
        EXPORT_CSV = "export_csv", _("Applications exported (CSV)")
        EXPORT_ZIP = "export_zip", _("Documents exported (ZIP)")
        STATUS_CHANGE = "status_change", _("Status changed")
        MESSAGE = "message", _("Message to the candidate")
        ERASE = "erase", _("Erased by staff")
        WITHDRAW_BY_CANDIDATE = "withdraw_by_candidate", _("Withdrawn by the candidate")
        ERASE_BY_CANDIDATE = "erase_by_candidate", _("Erased by the candidate")
        ERASE_BY_SCHEDULE = "erase_by_schedule", _("Erased on schedule")
        # By the scanner, no actor: the document stays, blocked; `detail` is its kind and the malware's name.
        MALWARE_FOUND = "malware_found", _("Malware found in a document")
        # Not about personal data, but how the organisation's accounts are protected: one event per
        # organisation of the staff member, the actor being the staff member (none for a reset by a superuser).
        TWO_FACTOR_ON = "two_factor_on", _("Two-factor authentication turned on")
        TWO_FACTOR_OFF = "two_factor_off", _("Two-factor authentication turned off")

    # PROTECT: the log is the organisation's proof of how it handled personal data; deleting the
    # organisation must not wipe it silently (its applications already PROTECT it the same way).
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="audit_events"
    )
    # Empty for the candidate's own actions and the scheduled erasure, or once the account is gone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({timezone.localtime(self.at):%Y-%m-%d %H:%M})"

    @classmethod
    def record(cls, action, organisation, actor=None, application=None, offer=None, detail: str = "") -> "AuditEvent":
        """Log one event. `organisation`, `application` and `offer` may be rows or primary keys.

        The offer defaults to the application's. Keys are enough, so recording costs one INSERT
        and no lookups; `detail` must not carry personal data."""
        application_id = getattr(application, "pk", application)
        offer_id = getattr(offer, "pk", offer)
        if offer_id is None and isinstance(application, Application):
            offer_id = application.offer_id
        return cls.objects.create(
            action=action,
            organisation_id=getattr(organisation, "pk", organisation),
            actor_id=actor.pk if actor is not None else None,
            application_id=application_id,
            offer_id=offer_id,
            detail=detail[: cls._meta.get_field("detail").max_length],
        )


def recruiters_of(organisation):
    """Active staff members of the organisation, who are told of new applications."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, user__is_active=True, user__is_staff=True
        ).select_related("user")
        if membership.user.email
    ]
