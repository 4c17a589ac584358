from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City, Person
from workinggroups.enums import GroupState


class WorkingGroup(models.Model):
    """A structure for one area of the network's agenda (rule W1)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    topic = models.TextField(_("topic"))
    is_permanent = models.BooleanField(
        _("permanent strategic topic"), default=False, help_text=_("Rule W1.")
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=GroupState.choices,
        default=GroupState.PROPOSED,
        db_index=True,
    )
    coordinating_city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_groups",
        verbose_name=_("coordinating city"),
    )
    cities = models.ManyToManyField(
        City,
        through="GroupMembership",
        related_name="working_groups",
        verbose_name=_("member cities"),
        blank=True,
    )
    created_on = models.DateField(_("created on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:group-detail", kwargs={"slug": self.slug})


class GroupMembership(models.Model):
    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("working group"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("city")
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("contact point"),
    )
    joined_on = models.DateField(_("joined on"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "city"],
                name="workinggroups_membership_unique",
                violation_error_message=_("This city is already a member of this group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.group}"
