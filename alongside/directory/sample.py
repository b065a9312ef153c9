"""A fictional New Hampshire directory for the demo and the tests.

Every organization and service here is invented; phone numbers are in the 555-01xx range
that is reserved for fiction; street addresses are made up. Towns, ZIPs and counties are real
places so that search by place works. Pages that show these listings say "sample data".
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from alongside.directory import geo
from alongside.directory.indexing import service_index
from alongside.directory.models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchBucket,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from alongside.directory.services import service_set_terms, taxonomy_ensure
from alongside.lib.dates import months_before

SAMPLE_NOTE = "Sample data: this organization is fictional."

# One real town (by ZIP) per county, and a second town for larger counties.
COUNTY_TOWNS = {
    "Belknap County": ["03246", "03253"],
    "Carroll County": ["03818", "03894"],
    "Cheshire County": ["03431", "03470"],
    "Coos County": ["03570", "03584"],
    "Grafton County": ["03766", "03264"],
    "Hillsborough County": ["03101", "03060", "03062"],
    "Merrimack County": ["03301", "03275"],
    "Rockingham County": ["03801", "03833", "03038"],
    "Strafford County": ["03820", "03867"],
    "Sullivan County": ["03743", "03773"],
}
STREETS = ["Example Street", "Sample Avenue", "Fictional Road", "Placeholder Lane", "Demo Way"]

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


@dataclass
class Hours:
    rows: list[tuple[str, time, time]] = field(default_factory=list)
    holidays: bool = True


HOURS = {
    "office": Hours([(WEEKDAYS, time(9), time(17))]),
    "split": Hours([(WEEKDAYS, time(9), time(12)), (WEEKDAYS, time(13), time(17))]),
    "evening": Hours([("TU,TH", time(18), time(20))]),
    "drop_in": Hours([(WEEKDAYS, time(10), time(16)), ("SA", time(11), time(15))]),
    "overnight": Hours([(EVERY_DAY, time(17), time(1))], holidays=False),
    "always": Hours([(EVERY_DAY, time(0), time(23, 59))], holidays=False),
    "weekend": Hours([("SA,SU", time(10), time(14))]),
    "unknown": Hours([]),
}


@dataclass
class Template:
    name: str
    description: str
    codes: list[str]
    hours: str
    languages: list[str] = field(default_factory=lambda: ["en"])


# Services every county gets, each run by that county's (fictional) organizations.
COUNTY_SERVICES = [
    Template(
        "{town} Recovery Community Center",
        "A welcoming place run by people in recovery. Drop by for recovery coaching, all-recovery "
        "meetings, a cup of coffee and people who understand.",
        ["recovery_center", "in_person", "walk_in", "adults", "substance_use", "free", "crsw"],
        "drop_in",
    ),
    Template(
        "{town} Peer Support Specialists",
        "Meet one-to-one with a certified peer support specialist who has lived experience of "
        "mental-health challenges. Together you set goals in your own words.",
        ["peer_specialist", "in_person", "phone", "adults", "mental_health", "medicaid", "cpss"],
        "split",
    ),
    Template(
        "{town} Tuesday and Thursday Evening Group",
        "A peer-led group for people living with mental-health and substance-use challenges. "
        "Come as you are; you never have to share.",
        ["peer_group", "in_person", "adults", "co_occurring", "free"],
        "evening",
    ),
    Template(
        "{town} Peer Drop-In Center",
        "A peer-run drop-in center with art, games, lunch on Fridays and someone to talk to.",
        ["drop_in_center", "in_person", "walk_in", "adults", "mental_health", "free"],
        "drop_in",
    ),
    Template(
        "{county} Mental Health Center Peer Team",
        "Peer specialists who work alongside the community mental health center's team, for "
        "people who get services there.",
        [
            "cmhc_peer_program",
            "in_person",
            "video",
            "adults",
            "young_adults",
            "mental_health",
            "medicaid",
            "insurance",
            "cpss",
            "ncps",
        ],
        "office",
    ),
    Template(
        "{town} Families in Recovery Circle",
        "Support for parents, partners and caregivers of someone facing mental-health or "
        "substance-use challenges, from family members who have been there.",
        ["family_support", "in_person", "families", "co_occurring", "free"],
        "weekend",
    ),
]

# Services that reach the whole state (or some counties) by phone, text or video.
VIRTUAL_SERVICES = [
    (
        Template(
            "Granite State Peer Warm Line",
            "Call or text to talk with a peer, every evening and into the night. This is a warm "
            "line for everyday support, not a crisis line.",
            ["warm_line", "phone", "text", "adults", "mental_health", "free", "cpss"],
            "overnight",
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "Línea Cálida en Español (sample)",
            "Una línea cálida en español para hablar con un compañero. Spanish-language warm line "
            "for everyday support; not a crisis line.",
            ["warm_line", "phone", "text", "adults", "co_occurring", "free"],
            "office",
            ["es", "en"],
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "Online Recovery Meetings Any Hour",
            "Peer-led recovery meetings by video, starting every hour of the day and night.",
            ["online_support", "peer_group", "video", "adults", "substance_use", "free", "iprc"],
            "always",
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "Young Adult Peer Chat",
            "Text or video chats with peers aged 18 to 25 who get it.",
            ["online_support", "text", "video", "young_adults", "mental_health", "free"],
            "evening",
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "Veterans Peer Phone Circle",
            "Veterans supporting veterans, by phone, with a weekly call and one-to-one check-ins.",
            ["peer_group", "phone", "veterans", "co_occurring", "free", "ncps"],
            "weekend",
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "North Country Family Support Line",
            "A phone line for families in the North Country, answered by parents with lived "
            "experience.",
            ["family_support", "phone", "families", "mental_health", "free"],
            "office",
        ),
        [
            ("county", "Coos County, NH"),
            ("county", "Grafton County, NH"),
            ("county", "Carroll County, NH"),
        ],
    ),
    (
        Template(
            "Seacoast LGBTQ+ Peer Video Group",
            "A video support group for LGBTQ+ people in recovery on the Seacoast.",
            ["online_support", "peer_group", "video", "lgbtq", "co_occurring", "free"],
            "evening",
        ),
        [("county", "Rockingham County, NH"), ("county", "Strafford County, NH")],
    ),
    (
        Template(
            "Older Adults Friendly Voices Line",
            "A weekly friendly call from a peer for people 60 and older who feel alone.",
            ["warm_line", "phone", "older_adults", "mental_health", "free"],
            "split",
            ["en", "fr"],
        ),
        [("state", "NH")],
    ),
    (
        Template(
            "Round-the-Clock Peer Text and Talk Line (sample)",
            "Call or text a trained peer at any hour, day or night, when you want someone to "
            "listen. A warm line for everyday support; it is not a crisis line.",
            ["warm_line", "phone", "text", "adults", "young_adults", "mental_health", "free"],
            "always",
        ),
        [("state", "NH")],
    ),
]


# Services that show the filters for recovery: housing, check-in calls, recovery coaches in
# the emergency department, a clubhouse; who they welcome and how to get in. (Placed away
# from Concord, so that searches near it find what they always have.)
RECOVERY_SERVICES = [
    (
        Template(
            "Granite Path Recovery Residence (sample)",
            "A peer-run recovery home for men, certified at NARR Level II. Residents on "
            "methadone or buprenorphine are welcome; no ID is needed to ask for a bed. "
            "Culturally specific: house meetings are held in English and Spanish.",
            [
                "recovery_housing",
                "in_person",
                "men",
                "reentry",
                "substance_use",
                "sliding_scale",
                "mat_welcome",
                "all_pathways",
                "no_id",
                "no_referral",
                "peer_run",
                "narr_2",
            ],
            "always",
            ["en", "es"],
        ),
        "03431",
    ),
    (
        Template(
            "Harbor House for Mothers in Recovery (sample)",
            "Recovery housing for pregnant and parenting women and their children, certified "
            "at NARR Level III, with a step-free entrance. Medication for opioid use disorder "
            "is welcome.",
            [
                "recovery_housing",
                "in_person",
                "women",
                "pregnant_parenting",
                "substance_use",
                "medicaid",
                "mat_welcome",
                "wheelchair",
                "narr_3",
            ],
            "office",
        ),
        "03820",
    ),
    (
        Template(
            "Emergency Department Recovery Coaches (sample)",
            "Recovery coaches meet people at the hospital after an overdose, any hour of the "
            "day or night, and stay in touch afterwards. No referral and no ID needed.",
            [
                "ed_recovery_coach",
                "in_person",
                "adults",
                "unhoused",
                "substance_use",
                "free",
                "all_pathways",
                "no_referral",
                "no_id",
                "wheelchair",
                "crsw",
            ],
            "always",
        ),
        "03060",
    ),
    (
        Template(
            "Upper Valley Clubhouse (sample)",
            "A clubhouse where members work side by side with staff on the work of the day. "
            "Deaf and hard of hearing members are welcome; staff sign ASL.",
            [
                "clubhouse",
                "in_person",
                "walk_in",
                "adults",
                "deaf_hoh",
                "mental_health",
                "free",
                "no_referral",
                "wheelchair",
                "peer_run",
            ],
            "drop_in",
            ["en", "asl"],
        ),
        "03766",
    ),
]
CHECK_IN_CALLS = Template(
    "Recovery Check-In Calls (sample)",
    "A trained peer calls you once a week to ask how your recovery is going. You can stay "
    "anonymous: a first name is enough.",
    [
        "telephone_recovery_support",
        "phone",
        "adults",
        "substance_use",
        "free",
        "all_pathways",
        "no_referral",
        "anonymous",
        "peer_run",
    ],
    "evening",
)


@dataclass
class _Counter:
    phones: itertools.count = field(default_factory=lambda: itertools.count())

    def phone(self) -> str:
        return f"603-555-{100 + next(self.phones) % 100:04d}"


def _schedules(service: Service, hours_key: str, today: date) -> None:
    hours = HOURS[hours_key]
    for byday, opens, closes in hours.rows:
        Schedule.objects.create(service=service, byday=byday, opens_at=opens, closes_at=closes)
    if hours.rows and hours.holidays:
        for holiday, label in _holidays(today):
            Schedule.objects.create(
                service=service,
                byday="",
                valid_from=holiday,
                valid_to=holiday,
                closed=True,
                description=f"Closed for {label}",
            )


def _holidays(today: date) -> list[tuple[date, str]]:
    year = today.year
    november = date(year, 11, 1)
    thanksgiving = november + timedelta(days=(3 - november.weekday()) % 7 + 21)
    return [(thanksgiving, "Thanksgiving"), (date(year, 12, 25), "Christmas Day")]


def _verification(index: int, today: date) -> tuple[date | None, str, str]:
    """Mostly recent; every 9th never verified, every 11th due again, every 17th long stale."""
    if index % 9 == 4:
        return None, "", ""
    if index % 17 == 8:
        return months_before(today, 20), "Directory team (sample)", Service.VerificationMethod.PHONE
    if index % 11 == 6:
        return months_before(today, 14), "Directory team (sample)", Service.VerificationMethod.EMAIL
    method = [
        Service.VerificationMethod.PHONE,
        Service.VerificationMethod.PROVIDER_UPDATE,
        Service.VerificationMethod.SITE_VISIT,
    ][index % 3]
    return today - timedelta(days=7 + (index * 13) % 300), "Directory team (sample)", method


def _make_service(
    organization: Organization,
    template: Template,
    index: int,
    counter: _Counter,
    today: date,
    **names: str,
) -> Service:
    verified_on, verified_by, method = _verification(index, today)
    service = Service.objects.create(
        organization=organization,
        name=template.name.format(**names),
        description=template.description,
        url=f"https://example.org/sample/{index}",
        email=f"hello{index}@example.org",
        fees_description="Free." if "free" in template.codes else "Medicaid and some plans.",
        eligibility_description="Adults 18 and older." if "adults" in template.codes else "",
        verified_on=verified_on,
        verified_by=verified_by,
        verification_method=method,
    )
    service_set_terms(service=service, codes=template.codes)
    kind = Phone.PhoneType.CELL if "text" in template.codes else Phone.PhoneType.VOICE
    Phone.objects.create(service=service, number=counter.phone(), type=kind)
    for code in template.languages:
        Language.objects.create(
            service=service,
            code=code,
            name={"en": "English", "es": "Spanish", "fr": "French"}.get(code, code),
        )
    for code in ("free", "medicaid", "sliding_scale", "insurance"):
        if code in template.codes:
            CostOption.objects.create(service=service, option=code.replace("_", " ").title())
    _schedules(service, template.hours, today)
    return service


def _physical_location(
    organization: Organization, postal_code: str, index: int, confidential: bool = False
) -> Location:
    record = geo.zip_record(postal_code)
    assert record is not None, postal_code
    rng = random.Random(index)  # noqa: S311 - placement jitter for fiction, not security
    location = Location.objects.create(
        organization=organization,
        location_type=Location.LocationType.PHYSICAL,
        name=f"{record['city']} office",
        latitude=float(record["lat"]) + rng.uniform(-0.01, 0.01),
        longitude=float(record["long"]) + rng.uniform(-0.01, 0.01),
        timezone_name=record["timezone"],
        county=record["county"],
        address_confidential=confidential,
        transportation="On a local bus route (sample)." if index % 2 else "",
    )
    Address.objects.create(
        location=location,
        address_1=f"{10 + index} {STREETS[index % len(STREETS)]}",
        city=record["city"],
        state_province=record["state"],
        postal_code=postal_code,
    )
    Accessibility.objects.create(
        location=location,
        description="Step-free entrance and an accessible restroom."
        if index % 3
        else "Second floor; elevator available.",
    )
    return location


@transaction.atomic
def load_sample_directory() -> int:
    """Replace the directory with the fictional sample. Returns the number of services."""
    for model in (Organization, Location, SearchBucket):
        model.objects.all().delete()
    taxonomy_ensure()
    today = timezone.localdate()
    counter = _Counter()
    index = 0
    services: list[Service] = []
    for county, zips in COUNTY_TOWNS.items():
        short = county.replace(" County", "")
        agency = Organization.objects.create(
            name=f"{short} Peer Partners (sample)",
            description=SAMPLE_NOTE,
            website="https://example.org/sample",
        )
        recovery = Organization.objects.create(
            name=f"{short} Recovery Alliance (sample)",
            description=SAMPLE_NOTE,
        )
        for n, template in enumerate(COUNTY_SERVICES):
            postal_code = zips[n % len(zips)]
            town = geo.zip_record(postal_code)["city"]  # type: ignore[index]
            owner = (
                recovery if template.codes[0] in {"recovery_center", "family_support"} else agency
            )
            service = _make_service(owner, template, index, counter, today, town=town, county=short)
            location = _physical_location(owner, postal_code, index)
            ServiceAtLocation.objects.create(service=service, location=location)
            services.append(service)
            index += 1

    respite_org = Organization.objects.create(
        name="Quiet Harbor Peer Respite (sample)", description=SAMPLE_NOTE
    )
    respite = _make_service(
        respite_org,
        Template(
            "Quiet Harbor Peer Respite House",
            "A short, voluntary stay of up to a week in a calm, home-like house run by peers. "
            "Call first; the address is shared when you plan your stay.",
            ["peer_respite", "in_person", "phone", "adults", "mental_health", "free", "cpss"],
            "always",
        ),
        index,
        counter,
        today,
    )
    ServiceAtLocation.objects.create(
        service=respite, location=_physical_location(respite_org, "03301", index, confidential=True)
    )
    services.append(respite)
    index += 1

    statewide = Organization.objects.create(
        name="Granite Connections (sample)", description=SAMPLE_NOTE
    )
    for template, areas in VIRTUAL_SERVICES:
        service = _make_service(statewide, template, index, counter, today)
        virtual = Location.objects.create(
            organization=statewide,
            location_type=Location.LocationType.VIRTUAL,
            name="By phone, text or video",
        )
        ServiceAtLocation.objects.create(service=service, location=virtual)
        for scope, value in areas:
            ServiceArea.objects.create(
                service=service,
                scope=scope,
                value=value,
                name=value,
                extent_type="text",
                extent=value,
            )
        services.append(service)
        index += 1

    # One service that has closed, to show that it never appears.
    closed = _make_service(
        statewide, COUNTY_SERVICES[2], index, counter, today, town="Concord", county="Merrimack"
    )
    closed.name = "Former Concord Evening Group (sample, closed)"
    closed.status = Service.Status.DEFUNCT
    closed.save()
    services.append(closed)

    recovery_org = Organization.objects.create(
        name="Granite Recovery Network (sample)", description=SAMPLE_NOTE
    )
    for template, postal_code in RECOVERY_SERVICES:
        index += 1
        service = _make_service(recovery_org, template, index, counter, today)
        location = _physical_location(recovery_org, postal_code, index)
        ServiceAtLocation.objects.create(service=service, location=location)
        services.append(service)
    index += 1
    calls = _make_service(recovery_org, CHECK_IN_CALLS, index, counter, today)
    virtual = Location.objects.create(
        organization=recovery_org, location_type=Location.LocationType.VIRTUAL, name="By phone"
    )
    ServiceAtLocation.objects.create(service=calls, location=virtual)
    ServiceArea.objects.create(
        service=calls, scope="state", value="NH", name="NH", extent_type="text", extent="NH"
    )
    services.append(calls)
    # Recently verified, whatever their place in the cycle of verifications above.
    recent = today - timedelta(days=10)
    Service.objects.filter(organization=recovery_org).update(verified_on=recent)

    # Whom to ask about a stay at the respite: a contact with a number of their own.
    intake = Contact.objects.create(
        service=respite,
        name="Intake coordinator (sample)",
        title="Intake coordinator",
        department="Stays",
        email="intake@example.org",
    )
    Phone.objects.create(contact=intake, number=counter.phone(), type=Phone.PhoneType.VOICE)

    for service in services:
        service_index(service)
    return len(services)
