"""Fictional participants and a year of peer support for the demo organizations.

Everyone here is made up and says so: names end in "(sample)" and phone numbers are in the
555-01xx range. Run ``demo_seed`` first; running this again changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.care import services
from alongside.care.models import CareSettings, Goal, Participant
from alongside.core.models import Organization

FIRST_NAMES = [
    "Avery", "Blake", "Camila", "Dana", "Eli", "Frankie", "Gabe", "Hana", "Isaiah", "Jun",
    "Kai", "Lena", "Marisol", "Nico", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomas",
]  # fmt: skip
PRONOUNS = ["she/her", "he/him", "they/them", ""]
GOALS = [
    ("I want to sleep through the night most nights", "illness_management", ["hope"]),
    ("Get my own apartment by winter", "employment_housing", ["empowerment", "identity"]),
    ("Go to a recovery meeting every week", "planning", ["connectedness"]),
    ("Call my sister every Sunday", "advocacy", ["connectedness", "meaning"]),
    ("Finish my GED", "education", ["identity", "hope"]),
    ("Find a part-time job I like", "employment_housing", ["meaning", "empowerment"]),
    ("Sort out my SNAP benefits", "resources", ["empowerment"]),
    ("Learn what helps when I feel panicky", "illness_management", ["hope", "empowerment"]),
]
WORKED_ON = [
    "Talked through the week and what went well.",
    "Looked up bus routes to the job center together.",
    "Practised what to say at the housing appointment.",
    "Went over the wellness plan and added two new coping ideas.",
    "Shared my own experience of starting over after treatment.",
    "Filled in the benefits renewal form together.",
]
RESPONSES = [
    "Said it helped to say it out loud.",
    "Felt more confident about the appointment.",
    "Tired today, but wanted to keep going.",
    "Laughed a lot; said the week felt lighter.",
]
# Answers to the one race and ethnicity question: most people give one, some several.
RACE_ETHNICITY = [
    ["white"], ["white"], ["hispanic_latino"], ["black"], ["asian"],
    ["hispanic_latino", "white"], ["american_indian_alaska_native", "white"],
    ["middle_eastern_north_african"], ["black", "hispanic_latino"], ["prefer_not_to_say"], [],
]  # fmt: skip
HOUSING = ["home", "home", "family_friends", "recovery_housing", "shelter", "no_stable_place"]
EMPLOYMENT = ["full_time", "part_time", "looking", "not_looking", "student", "unable"]
# Most contacts reach the person; some are attempts, some with family or another provider.
CONTACTS = ["person"] * 8 + ["no_answer", "left_message", "family", "provider"]
# Most encounters are about one kind of service; some touch a second one too.
SECOND_CATEGORY = ["resources", "planning", "advocacy"]
PLACES = ["Drop-in center", "Library community room", "Coffee shop on Main St", "Phone"]
SPECIALISTS = {"granite-peer": ["peer", "supervisor"], "riverbend-recovery": ["riverbend"]}
PER_ORGANIZATION = {"granite-peer": 28, "riverbend-recovery": 12}


# Fictional, like everything here; the on-call number is in the range kept for fiction.
SAFETY_PROTOCOL = (
    "Stay with the person and call or text 988 together, or call NH Rapid Response at "
    "833-710-6477. If there is immediate danger, call 911.\n"
    "Then call the on-call supervisor (sample) at 603-555-0142, day or night, before you "
    "leave the person."
)


class Command(BaseCommand):
    help = "Load fictional care records (participants, plans, a year of encounters) for the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(5)  # noqa: S311 -- sample data, not security
        today = timezone.localdate()
        User = get_user_model()
        number = 0
        for slug, count in PER_ORGANIZATION.items():
            organization = Organization.objects.filter(slug=slug).first()
            if organization is None:
                raise CommandError(f"Run `alongside demo_seed` first (no organization {slug}).")
            if Participant.objects.filter(organization=organization).exists():
                self.stdout.write(f"{slug}: care sample data already loaded.")
                number += count
                continue
            staff = list(User.objects.filter(username__in=SPECIALISTS[slug]).order_by("username"))
            if not staff:
                raise CommandError(f"Run `alongside demo_seed` first (no staff for {slug}).")
            with transaction.atomic():
                CareSettings.objects.update_or_create(
                    organization=organization, defaults={"safety_protocol": SAFETY_PROTOCOL}
                )
                for i in range(count):
                    self._participant(rng, organization, staff, number, today, unassigned=i == 0)
                    number += 1
            self.stdout.write(f"{slug}: {count} sample participants with a year of records.")

    def _participant(
        self,
        rng: random.Random,
        organization: Organization,
        staff: list[Any],
        number: int,
        today: date,
        unassigned: bool,
    ) -> None:
        specialist = staff[number % len(staff)]
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        initial = chr(ord("A") + number % 26)
        enrolled_on = today - timedelta(days=rng.randint(30, 365))
        participant = services.participant_create(
            organization=organization,
            actor=specialist,
            data={
                "preferred_name": f"{first} {initial}. (sample)",
                "legal_name": f"{first} Example{number} (sample)",
                "pronouns": rng.choice(PRONOUNS),
                "phone": f"603-555-01{number % 100:02d}",
                "email": f"participant{number}@example.org",
                "ok_to_call": True,
                "ok_to_text": rng.random() < 0.7,
                "ok_to_leave_message": rng.random() < 0.5,
                "preferred_language": rng.choice(["English", "English", "Spanish"]),
                "focus": rng.choice(["mental_health", "substance_use", "co_occurring"]),
                "pathway": rng.choice(["ongoing", "ongoing", "brief"]),
                "gender": rng.choice(["woman", "man", "nonbinary", "prefer_not_to_say", ""]),
                "race_ethnicity": rng.choice(RACE_ETHNICITY),
                "emergency_contact_name": "Pat Example (sample)",
                "emergency_contact_phone": f"603-555-01{(number + 50) % 100:02d}",
                "emergency_contact_relationship": rng.choice(["sister", "friend", "partner"]),
            },
            specialists=[] if unassigned else [specialist],
            enrolled_on=enrolled_on,
            agreement_how="signed_paper",
        )
        self._circumstances(rng, participant, specialist, number, enrolled_on, today)
        goals = []
        for text, category, chime in rng.sample(GOALS, k=rng.randint(1, 3)):
            goals.append(
                services.goal_create(
                    participant=participant,
                    actor=specialist,
                    data={
                        "text": text,
                        "service_category": category,
                        "chime": chime,
                        "steps": "Small steps, one each week.",
                        "who_helps": "My peer specialist; a friend from group.",
                        "target_date": enrolled_on + timedelta(days=rng.randint(60, 300)),
                        "status": rng.choice(["active", "active", "active", "achieved"]),
                    },
                )
            )
        self._plan(participant, specialist, goals, number, enrolled_on, today)
        services.consent_create(
            participant=participant,
            actor=specialist,
            data={
                "discloser": organization.name,
                "recipients": "Harbor Housing Program (sample)",
                "information": "Dates of contact and housing goals",
                "information_categories": ["encounter_dates", "recovery_plan"],
                "purposes": ["benefits"],
                "expires_on": enrolled_on + timedelta(days=365),
                "signature_name": participant.legal_name,
                "signed_on": enrolled_on,
            },
        )
        self._encounters(rng, participant, specialist, goals, enrolled_on, today)
        if rng.random() < 0.5:
            services.referral_create(
                participant=participant,
                actor=specialist,
                provider_name=rng.choice(
                    ["Harbor Housing Program (sample)", "Northway Food Pantry (sample)"]
                ),
                status=rng.choice(["suggested", "made", "connected"]),
                warm_handoff_note="Introduced by phone; they expect a call this week.",
            )
        zone = timezone.get_current_timezone()
        day = today + timedelta(days=rng.randint(0, 10))
        start = datetime.combine(day, time(rng.choice([9, 10, 13, 15])), zone)
        services.appointment_create(
            participant=participant,
            actor=specialist,
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            place=rng.choice(PLACES),
            transportation=rng.choice(["none", "none", "needs_ride", "bus_pass"]),
        )
        if number % 13 == 5:
            services.safety_concern_raise(
                participant=participant,
                actor=specialist,
                actions=["called_988_together", "safety_plan_reviewed"],
                note="Hard night; we called 988 together and went over the safety plan.",
            )

    def _circumstances(
        self,
        rng: random.Random,
        participant: Participant,
        specialist: Any,
        number: int,
        enrolled_on: date,
        today: date,
    ) -> None:
        """Housing and work at enrollment, a change for some since, and most on Medicaid."""
        start_housing = rng.choice(HOUSING)
        services.housing_status_record(
            participant=participant,
            actor=specialist,
            data={"status": start_housing, "since": enrolled_on},
        )
        if start_housing != "home" and rng.random() < 0.4:
            services.housing_status_record(
                participant=participant,
                actor=specialist,
                data={"status": "home", "since": enrolled_on + (today - enrolled_on) // 2},
            )
        services.employment_status_record(
            participant=participant,
            actor=specialist,
            data={"status": rng.choice(EMPLOYMENT), "since": enrolled_on},
        )
        if rng.random() < 0.7:
            services.coverage_create(
                participant=participant,
                actor=specialist,
                data={
                    "payer_name": "Medicaid",
                    "member_id": f"SAMPLE{number:06d}",
                    "starts_on": enrolled_on - timedelta(days=rng.randint(0, 400)),
                },
            )

    def _plan(
        self,
        participant: Participant,
        specialist: Any,
        goals: list[Goal],
        number: int,
        enrolled_on: date,
        today: date,
    ) -> None:
        """An agreed plan; a second version where 90 days passed (a few left overdue)."""
        first = enrolled_on + timedelta(days=7)
        services.plan_version_create(
            participant=participant,
            actor=specialist,
            summary="What matters most to me right now is steady days and people around me.",
            agreed_on=first,
            agreed_how="signed",
        )
        if today - first > timedelta(days=80) and number % 7 != 3:
            services.goal_update(
                goal=goals[0], actor=specialist, data={"steps": "Two small steps a week now."}
            )
            services.plan_version_create(
                participant=participant,
                actor=specialist,
                summary="Still steady days and people around me; more steps on my first goal.",
                agreed_on=today - timedelta(days=number % 60 + 1),
                agreed_how="out_loud",
            )
        if number % 4 == 0:
            services.wellness_plan_save(
                participant=participant,
                actor=specialist,
                data={
                    "keeps_me_well": "Walking in the morning, cooking with my roommate.",
                    "early_signs": "I stop answering texts and sleep in late.",
                    "what_helps": "A short walk with someone and a plan for the next day.",
                    "who_to_call": "My sister (sample) 603-555-0177; my peer specialist.",
                    "do_not_want": "Please do not call my employer.",
                    "updated_on": first,
                },
            )

    def _encounters(
        self,
        rng: random.Random,
        participant: Participant,
        specialist: Any,
        goals: list[Goal],
        since: date,
        today: date,
    ) -> None:
        day = since
        while True:
            day += timedelta(days=rng.randint(7, 21))
            if day >= today:
                break
            hour = rng.randint(9, 16)
            encounter = services.encounter_create(
                participant=participant,
                actor=specialist,
                data={
                    "type": rng.choice(["in_person", "phone", "video", "text", "brief_checkin"]),
                    "contact": rng.choice(CONTACTS),
                    "date": day,
                    "start_time": time(hour, 0),
                    "end_time": time(hour, rng.choice([15, 30, 45])),
                    "setting": rng.choice(PLACES),
                    "service_categories": [goals[0].service_category]
                    + ([rng.choice(SECOND_CATEGORY)] if rng.random() < 0.25 else []),
                    "worked_on": rng.choice(WORKED_ON),
                    "response": rng.choice(RESPONSES),
                    "next_steps": "Meet again next week.",
                },
                goals=goals[:1],
            )
            # The most recent note of some people is left as a draft to sign.
            if day < today - timedelta(days=14) or rng.random() < 0.6:
                services.encounter_sign(encounter=encounter, actor=specialist)
