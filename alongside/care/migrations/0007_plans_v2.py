"""Plans v2: review-by dates, goals kept with each agreed version, the wellness plan.

Existing versions get a review-by date 90 days (the default) after their agreement, and a
snapshot of the plan's goals as they stand at upgrade: nothing older was kept to rebuild from.
"""

import datetime
import uuid

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import alongside.lib.crypto

DEFAULT_REVIEW_DAYS = 90
KEPT = ("text", "service_category", "chime", "strengths", "steps", "who_helps", "target_date")


def review_dates_and_goal_snapshots(apps, schema_editor):
    PlanVersion = apps.get_model("care", "PlanVersion")
    PlanVersionGoal = apps.get_model("care", "PlanVersionGoal")
    Goal = apps.get_model("care", "Goal")
    for version in PlanVersion.objects.all().iterator():
        version.review_by = version.agreed_on + datetime.timedelta(days=DEFAULT_REVIEW_DAYS)
        version.save(update_fields=["review_by"])
        goals = Goal.objects.filter(plan_id=version.plan_id).order_by("created_at", "id")
        PlanVersionGoal.objects.bulk_create(
            PlanVersionGoal(
                organization_id=version.organization_id,
                version=version,
                goal=goal,
                position=position,
                status=goal.status,
                **{name: getattr(goal, name) for name in KEPT},
            )
            for position, goal in enumerate(goals)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0006_demographics_coverage"),
        ("core", "0005_membership_is_active"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="caresettings",
            name="plan_review_days",
            field=models.PositiveSmallIntegerField(
                default=90,
                help_text="A newly agreed plan's review-by date, unless the form gives another.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(730),
                ],
                verbose_name="review recovery plans after this many days",
            ),
        ),
        migrations.AddField(
            model_name="planversion",
            name="review_by",
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name="review by"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="WellnessPlan",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "keeps_me_well",
                    alongside.lib.crypto.EncryptedTextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="What keeps me well",
                    ),
                ),
                (
                    "early_signs",
                    alongside.lib.crypto.EncryptedTextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="Early signs that I'm struggling",
                    ),
                ),
                (
                    "what_helps",
                    alongside.lib.crypto.EncryptedTextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="What helps me then",
                    ),
                ),
                (
                    "who_to_call",
                    alongside.lib.crypto.EncryptedTextField(
                        blank=True,
                        help_text="Names and phone numbers, as the person gives them.",
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="Who to call",
                    ),
                ),
                (
                    "do_not_want",
                    alongside.lib.crypto.EncryptedTextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="What I do not want",
                    ),
                ),
                ("updated_on", models.DateField(verbose_name="gone over together on")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organization",
                    ),
                ),
                (
                    "participant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="wellness_plan",
                        to="care.participant",
                    ),
                ),
                (
                    "written_with",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="PlanVersionGoal",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("text", models.TextField(verbose_name="the goal, in their own words")),
                (
                    "service_category",
                    models.CharField(
                        choices=[
                            ("planning", "Planning"),
                            ("resources", "Resources"),
                            ("advocacy", "Advocacy"),
                            ("illness_management", "Illness management"),
                            ("employment_housing", "Employment and housing"),
                            ("education", "Education"),
                        ],
                        max_length=30,
                        verbose_name="service category",
                    ),
                ),
                (
                    "chime",
                    models.JSONField(blank=True, default=list, verbose_name="CHIME processes"),
                ),
                ("strengths", models.TextField(blank=True, verbose_name="strengths they bring")),
                ("steps", models.TextField(blank=True, verbose_name="steps")),
                ("who_helps", models.TextField(blank=True, verbose_name="who helps")),
                (
                    "target_date",
                    models.DateField(blank=True, null=True, verbose_name="target date"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Working on it"),
                            ("achieved", "Achieved"),
                            ("paused", "Paused"),
                            ("let_go", "Let go"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "goal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="version_rows",
                        to="care.goal",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organization",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goal_rows",
                        to="care.planversion",
                    ),
                ),
            ],
            options={
                "ordering": ["position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "goal"), name="care_version_goal_once"
                    )
                ],
            },
        ),
        migrations.RunPython(review_dates_and_goal_snapshots, migrations.RunPython.noop),
    ]
