"""The directory's data, on the Open Referral HSDS 3.0 model (names, fields and UUID ids).

Additions of our own, each because HSDS lacks it: a named time zone and a confidential-address
flag per location, a ``closed`` flag on schedule rows (holiday closures), and verification
fields on a service. ``SearchEntry`` is a derived, denormalised row per place a service can be
found, rebuilt by ``indexing.service_index``; it is what search reads.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _id() -> models.UUIDField:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class Organization(models.Model):
    id = _id()
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    class VerificationMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("E-mail")
        SITE_VISIT = "site_visit", _("Site visit")
        PROVIDER_UPDATE = "provider_update", _("Update from the provider")

    id = _id()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.TextField(blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.CharField(max_length=150, blank=True)
    verification_method = models.CharField(
        max_length=20, choices=VerificationMethod.choices, blank=True
    )
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    id = _id()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # HSDS keeps only a numeric UTC offset; the zone name keeps "open now" right across DST.
    timezone_name = models.CharField(max_length=64, default=settings.TIME_ZONE)
    # Peer respites and safe houses: the address is used for distance, never shown.
    address_confidential = models.BooleanField(default=False)
    county = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    id = _id()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=300)
    address_2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    state_province = models.CharField(max_length=60)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="US")
    address_type = models.CharField(
        max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class ServiceAtLocation(models.Model):
    id = _id()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Contact(models.Model):
    """A named person or desk to reach, of an organization, a service or a place (HSDS
    ``contact``); their numbers are phones with this contact."""

    id = _id()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300, blank=True)
    department = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.department or str(self.id)


class Phone(models.Model):
    class PhoneType(models.TextChoices):
        VOICE = "voice", _("Voice")
        TEXT = "text", _("Text")
        CELL = "cell", _("Cell")
        FAX = "fax", _("Fax")
        VIDEO = "video", _("Video")
        PAGER = "pager", _("Pager")
        TEXTPHONE = "textphone", _("Textphone (TTY)")

    id = _id()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=40)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.number

    @property
    def dial(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")

    @property
    def can_text(self) -> bool:
        return self.type in {self.PhoneType.TEXT, self.PhoneType.CELL}


class Schedule(models.Model):
    """One HSDS schedule row: weekly hours, or a dated exception such as a holiday."""

    id = _id()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, blank=True, default="WEEKLY")
    byday = models.CharField(max_length=40, blank=True, help_text="e.g. MO,TU,WE")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    # Ours: a dated row that closes the service for those days (HSDS has no holiday calendar).
    closed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class ServiceArea(models.Model):
    """Where a virtual service is available: a whole state, some counties or some ZIPs."""

    class Scope(models.TextChoices):
        STATE = "state", _("State")
        COUNTY = "county", _("County")
        POSTAL_CODE = "postal_code", _("ZIP code")

    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    scope = models.CharField(max_length=12, choices=Scope.choices, blank=True)
    # "NH" for a state, "Merrimack County, NH" for a county, "03301" for a ZIP.
    value = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return self.name or f"{self.scope}:{self.value}"


class Language(models.Model):
    id = _id()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True, help_text="ISO 639-1, e.g. es")
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(models.Model):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option


class Accessibility(models.Model):
    id = _id()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.description


class Taxonomy(models.Model):
    id = _id()
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = _id()
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    code = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    language = models.CharField(max_length=10, blank=True)
    term_uri = models.URLField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """An HSDS attribute: a taxonomy term attached to a record (for us, mostly services)."""

    id = _id()
    link_id = models.UUIDField(db_index=True)
    link_type = models.CharField(max_length=50, blank=True)
    link_entity = models.CharField(max_length=50, default="service")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    value = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} {self.taxonomy_term_id}"


class SearchEntry(models.Model):
    """Derived: one row per place a service can be found (a location, or a service area)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="search_entries")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    # The map cell of the place (``buckets.cell_of``); blank without coordinates.
    cell = models.CharField(max_length=20, blank=True)
    county = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    town = models.CharField(max_length=120, blank=True)
    # For area-wide virtual services: which area (state, county or ZIP) it covers.
    area_scope = models.CharField(max_length=12, blank=True)
    area_value = models.CharField(max_length=120, blank=True)
    # " type:warm_line format:phone language:es " -- space-delimited codes for the filters.
    tags = models.TextField(blank=True)
    name = models.CharField(max_length=300)
    # Stems of the listing's searchable text (``core.search.stems``), for keywords near a place.
    words = models.TextField(blank=True)
    # The service's schedule rows as JSON, and the zone they are read in: "open now" for
    # thousands of rows without another query.
    hours = models.TextField(blank=True)
    timezone_name = models.CharField(max_length=64, blank=True)
    visible = models.BooleanField(default=True)
    # The service's, kept here so that search hides it the day it is too long unverified
    # (``DIRECTORY_HIDE_AFTER_MONTHS``), not at the next re-index.
    verified_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # A search without a place reads rows by name; the search buckets are rebuilt from
            # rows by county, area and map cell. (Places are found through the buckets.)
            models.Index(fields=["county", "state"], name="search_county_state"),
            models.Index(fields=["area_value"], name="search_area"),
            models.Index(fields=["name"], name="search_name"),
            models.Index(fields=["cell"], name="search_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.town or self.area_value})"


class SearchBucket(models.Model):
    """Derived: the visible search rows of one map cell, county or area, packed as columns.

    See ``directory.search.buckets``: a search near a place reads a few dozen of these.
    """

    key = models.CharField(max_length=140, unique=True)
    layout = models.CharField(max_length=16)  # ``buckets.LAYOUT`` when it was packed
    size = models.PositiveIntegerField(default=0)
    entries = models.BinaryField()
    words = models.BinaryField()
    weeks = models.BinaryField(default=b"")  # ``buckets.WEEK``: each distinct schedule
    hours = models.TextField()  # the rows of schedules with dated days, as JSON

    def __str__(self) -> str:
        return f"{self.key} ({self.size})"


class ServiceChange(models.Model):
    """History of a listing: who changed what, when and why (directory data is public)."""

    class Source(models.TextChoices):
        VERIFICATION = "verification", _("Verification")
        SUGGESTION = "suggestion", _("Public suggestion")
        STAFF = "staff", _("Staff edit")
        IMPORT = "import", _("Import")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The staff organization the editor acted for: the operator, or the listing's claimant.
    changed_by_organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    # {"field": ["old", "new"], …}
    fields = models.JSONField(default=dict)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.service_id} {self.source} {self.changed_at:%Y-%m-%d}"


class Suggestion(models.Model):
    """A correction sent from the public listing page, waiting for a directory editor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="suggestions")
    submitted_at = models.DateTimeField(auto_now_add=True)
    # {"field": "proposed value", …} for fields a suggestion can change.
    proposed = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Suggestion for {self.service_id} ({self.status})"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the directory's operator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ListingClaim(models.Model):
    """A staff organization asking to keep a provider's listings current itself, and the
    operator's answer. Not scoped to the claimant: the operator decides every organization's."""

    Status = ClaimStatus

    claimant = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    note = models.TextField(blank=True)  # the claimant's: how it is this provider
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One organization keeps a provider's listings at a time.
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(status=ClaimStatus.APPROVED),
                name="listing_claim_one_keeper",
                violation_error_message=_("Another organization already keeps these listings."),
            ),
            models.UniqueConstraint(
                fields=["claimant", "provider"],
                condition=models.Q(status=ClaimStatus.PENDING),
                name="listing_claim_one_pending",
                violation_error_message=_(
                    "Your organization has already asked for these listings."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.claimant_id} claims {self.provider_id} ({self.status})"
