"""Restricted families (a named access list) and break-glass grants, in every scope."""

from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.audit.models import AccessAction, AccessLog
from earlyhelp.audit.services import Refs
from earlyhelp.casework.models import Case
from earlyhelp.casework.policies import can_view_case, case_scope
from earlyhelp.common.clock import LONDON
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.domain.codes import UserRole
from earlyhelp.people import selectors, services
from earlyhelp.people.models import BreakGlassGrant, Family, Person
from earlyhelp.people.policies import family_home_scope, family_scope
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    home_unit, away_unit = f.unit("EHU-N1", "DN1", "AN"), f.unit("EHU-S1", "DS1", "AS")
    here = f.FamilyFactory(district=f.district("DN1", "AN"))
    there = f.FamilyFactory(district=f.district("DS1", "AS"))
    f.PersonFactory(family=here)
    f.PersonFactory(family=there)
    return {
        "here": here,
        "there": there,
        "here_case": f.CaseFactory(family=here, unit=home_unit),
        "there_case": f.CaseFactory(family=there, unit=away_unit),
        "prac": f.practitioner("EHU-N1", "DN1"),
        "colleague": f.practitioner("EHU-N1", "DN1"),
        "leader": f.UserFactory(role=UserRole.UNIT_LEADER, org_unit=home_unit),
        "triage": f.UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=f.county()),
        "dpo": f.UserFactory(role=UserRole.DATA_PROTECTION_OFFICER, org_unit=f.county()),
    }


def families(user) -> set[int]:
    return set(Family.objects.filter(family_scope(user)).values_list("pk", flat=True))


def cases(user) -> set[int]:
    return set(Case.objects.filter(case_scope(user)).values_list("pk", flat=True))


def test_a_restricted_family_is_seen_only_by_the_named_staff_in_scope(world) -> None:
    here, prac, colleague = world["here"], world["prac"], world["colleague"]
    services.family_restrict(user=world["leader"], family=here, restricted=True, version=1)
    here.refresh_from_db()
    assert here.restricted
    assert here.pk not in families(prac)
    assert world["here_case"].pk not in cases(prac)
    assert here.pk in families(world["leader"])  # who restricted it is named
    services.family_access_add(user=world["leader"], family=here, member=prac)
    assert here.pk in families(prac)
    assert world["here_case"].pk in cases(prac)
    assert here.pk not in families(colleague)
    assert Person.objects.filter(family=here).first().pk in set(
        selectors.person_list(user=prac).values_list("pk", flat=True)
    )
    assert can_view_case(
        prac, unit_id=world["here_case"].unit_id, restricted=True, family_id=here.pk
    )
    assert not can_view_case(colleague, unit_id=world["here_case"].unit_id, restricted=True)
    assert here.pk not in families(world["triage"])


def test_naming_does_not_widen_scope(world) -> None:
    there = world["there"]
    services.family_restrict(user=world["dpo"], family=there, restricted=True, version=1)
    services.family_access_add(user=world["dpo"], family=there, member=world["prac"])
    assert there.pk not in families(world["prac"])


def test_only_the_dpo_or_responsible_leaders_change_the_list(world) -> None:
    with pytest.raises(PermissionRefused):
        services.family_restrict(
            user=world["prac"], family=world["here"], restricted=True, version=1
        )
    with pytest.raises(PermissionRefused):
        services.family_restrict(
            user=world["leader"], family=world["there"], restricted=True, version=1
        )
    services.family_restrict(user=world["dpo"], family=world["there"], restricted=True, version=1)
    with pytest.raises(InvalidInput):
        services.family_access_add(user=world["dpo"], family=world["there"], member=world["dpo"])
    entry = services.family_access_add(
        user=world["dpo"], family=world["there"], member=world["leader"]
    )
    services.family_access_remove(user=world["dpo"], entry=entry)
    assert not selectors.family_access_list(family_id=world["there"].pk).exists()


def _grant(world, user_key="prac", family_key="there", reason="Child disclosed at school today"):
    return services.break_glass_grant(
        user=world[user_key],
        family=world[family_key],
        reason=reason,
        requested_ref=world[family_key].family_ref,
        refs=Refs(family_id=world[family_key].pk),
        what=f"break-glass: family {world[family_key].family_ref}",
        ip_address="10.0.0.9",
    )


def test_break_glass_opens_a_family_for_eight_hours_and_is_logged(world) -> None:
    prac, there = world["prac"], world["there"]
    assert there.pk not in families(prac)
    grant = _grant(world)
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=8)
    assert there.pk in families(prac)
    assert world["there_case"].pk in cases(prac)
    assert there.pk not in Family.objects.filter(family_home_scope(prac)).values_list(
        "pk", flat=True
    )
    entry = AccessLog.objects.get(action=AccessAction.BREAK_GLASS)
    assert entry.reason == "Child disclosed at school today"
    assert (entry.actor_id, entry.family_id, entry.ip_address) == (prac.pk, there.pk, "10.0.0.9")
    assert there.pk not in families(world["colleague"])


def test_an_expired_grant_opens_nothing(world) -> None:
    past = dt.datetime(2016, 6, 29, 8, 0, tzinfo=LONDON)
    BreakGlassGrant.objects.create(
        family=world["there"],
        user=world["prac"],
        reason="Yesterday's emergency",
        requested_ref="F1",
        granted_at=past,
        expires_at=past + dt.timedelta(hours=8),
    )
    assert world["there"].pk not in families(world["prac"])


def test_break_glass_needs_a_reason_a_staff_role_and_an_unrestricted_family(world) -> None:
    with pytest.raises(InvalidInput) as refused:
        _grant(world, reason="  because ")
    assert refused.value.field == "reason"
    with pytest.raises(NotFound):
        _grant(world, user_key="triage")
    with pytest.raises(NotFound):
        _grant(world, user_key="dpo")
    services.family_restrict(user=world["dpo"], family=world["there"], restricted=True, version=1)
    world["there"].refresh_from_db()
    with pytest.raises(NotFound):
        _grant(world)
    assert not AccessLog.objects.filter(action=AccessAction.BREAK_GLASS).exists()


def test_a_grant_stops_working_when_the_family_is_restricted(world) -> None:
    _grant(world)
    services.family_restrict(user=world["dpo"], family=world["there"], restricted=True, version=1)
    assert world["there"].pk not in families(world["prac"])
    assert world["there_case"].pk not in cases(world["prac"])
