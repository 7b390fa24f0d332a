"""The roles a user can hold: fixed names that action declarations and scoping refer to.

Who holds which role where is `accounts`' business (its models); what each role may do
is declared by the apps, with their actions (`core.actions`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is held over a region (and everything below it) or over households."""

    COUNTY_ADMIN = "county_admin", _("县级管理员")
    LEADER = "leader", _("县领导")
    TOWNSHIP_OFFICIAL = "township_official", _("乡镇干部")
    VILLAGE_CADRE = "village_cadre", _("村干部")
    DEPARTMENT = "department", _("行业部门")
    INSPECTOR = "inspector", _("督查人员")
    PAIRED_CADRE = "paired_cadre", _("帮扶责任人")


# Roles held over a region; a paired cadre holds theirs over households.
REGION_ROLES = [r for r in Role if r != Role.PAIRED_CADRE]
HOUSEHOLD_ROLES = [Role.PAIRED_CADRE]
