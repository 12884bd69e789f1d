"""Consent per family and purpose, its withdrawal, and `may_share_with` honouring both."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.common.errors import InvalidInput, PermissionRefused, StaleRecord
from earlyhelp.common.tests import factories as f
from earlyhelp.domain.codes import ConsentPurpose
from earlyhelp.people import services
from earlyhelp.people.models import FamilyConsent
from earlyhelp.people.selectors import families_sharing, may_share_with

pytestmark = pytest.mark.django_db

REFERRER = ConsentPurpose.SHARE_WITH_REFERRER
PARTNERS = ConsentPurpose.SHARE_WITH_PARTNERS


@pytest.fixture
def home(settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    family = f.FamilyFactory(district=f.district("DN1", "AN"))
    f.CaseFactory(family=family, unit=f.unit("EHU-N1", "DN1", "AN"))
    return {
        "family": family,
        "parent": f.PersonFactory(family=family, given_name="Jane"),
        "prac": f.practitioner("EHU-N1", "DN1"),
        "stranger": f.practitioner("EHU-S1", "DS1"),
    }


def test_consent_recorded_withdrawn_and_honoured(home) -> None:
    family, prac = home["family"], home["prac"]
    assert not may_share_with(family, REFERRER)
    consent = services.consent_record(
        user=prac,
        family=family,
        purpose=REFERRER,
        given_on=dt.date(2016, 6, 1),
        given_by=home["parent"],
    )
    assert may_share_with(family, REFERRER)
    assert may_share_with(family, REFERRER, partner_name="Margate Academy")
    assert not may_share_with(family, ConsentPurpose.SHARE_WITH_HEALTH)
    assert not may_share_with(family, REFERRER, on=dt.date(2016, 5, 31))
    services.consent_withdraw(
        user=prac, consent=consent, withdrawn_on=dt.date(2016, 6, 20), reason="", version=1
    )
    assert not may_share_with(family, REFERRER)
    assert may_share_with(family, REFERRER, on=dt.date(2016, 6, 19))
    assert ChangeRecord.objects.filter(entity="people.familyconsent").count() == 2


def test_a_consent_naming_a_partner_allows_that_partner_only(home) -> None:
    services.consent_record(
        user=home["prac"],
        family=home["family"],
        purpose=PARTNERS,
        given_on=dt.date(2016, 6, 1),
        partner_name="Kent  Police",
    )
    assert may_share_with(home["family"], PARTNERS, partner_name="kent police")
    assert not may_share_with(home["family"], PARTNERS, partner_name="Margate Academy")
    assert not may_share_with(home["family"], PARTNERS)


def test_consent_refusals(home) -> None:
    family, prac = home["family"], home["prac"]
    with pytest.raises(PermissionRefused):
        services.consent_record(
            user=home["stranger"], family=family, purpose=REFERRER, given_on=dt.date(2016, 6, 1)
        )
    with pytest.raises(InvalidInput) as refused:
        services.consent_record(
            user=prac,
            family=family,
            purpose=PARTNERS,
            given_on=dt.date(2016, 7, 1),
            given_by=f.PersonFactory(),
        )
    assert set(refused.value.errors) == {"given_on", "given_by", "partner_name"}
    consent = services.consent_record(
        user=prac, family=family, purpose=REFERRER, given_on=dt.date(2016, 6, 1)
    )
    with pytest.raises(InvalidInput):
        services.consent_withdraw(
            user=prac, consent=consent, withdrawn_on=dt.date(2016, 5, 1), reason="", version=1
        )
    with pytest.raises(StaleRecord):
        services.consent_withdraw(
            user=prac, consent=consent, withdrawn_on=dt.date(2016, 6, 2), reason="", version=7
        )
    services.consent_withdraw(
        user=prac, consent=consent, withdrawn_on=dt.date(2016, 6, 2), reason="", version=1
    )
    with pytest.raises(InvalidInput):
        services.consent_withdraw(
            user=prac, consent=consent, withdrawn_on=dt.date(2016, 6, 3), reason="", version=2
        )


days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2016, 6, 30))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_on=days, withdrawn=st.one_of(st.none(), days), on=days)
def test_sharing_is_allowed_exactly_while_a_consent_is_in_force(home, given_on, withdrawn, on):
    FamilyConsent.objects.all().delete()
    if withdrawn is not None and withdrawn < given_on:
        withdrawn = given_on
    consent = FamilyConsent.objects.create(
        family=home["family"], purpose=REFERRER, given_on=given_on, withdrawn_on=withdrawn
    )
    expected = given_on <= on and (withdrawn is None or on < withdrawn)
    assert consent.in_force_on(on) is expected
    assert may_share_with(home["family"], REFERRER, on=on) is expected
    assert (home["family"].pk in families_sharing([home["family"].pk], REFERRER, on=on)) is expected
