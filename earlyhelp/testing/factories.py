"""Factories for tests: synthetic records only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from earlyhelp.casework.models import Case
from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import (
    Category,
    OrgKind,
    RoleInFamily,
    Service,
    Sex,
    Source,
    UserRole,
    WorkerRole,
)
from earlyhelp.domain.submissions import Answers
from earlyhelp.domain.workingdays import triage_due_date
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.people.models import Family, Person


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OU{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Org unit {o.code}")
    kind = OrgKind.COUNTY
    parent = None
    service = ""


def county() -> OrgUnit:
    return OrgUnitFactory(code="KC", name="Test County", kind=OrgKind.COUNTY)


def area(code: str = "AN") -> OrgUnit:
    return OrgUnitFactory(code=code, name=f"Area {code}", kind=OrgKind.AREA, parent=county())


def district(code: str = "DN1", area_code: str = "AN") -> OrgUnit:
    return OrgUnitFactory(
        code=code, name=f"District {code}", kind=OrgKind.DISTRICT, parent=area(area_code)
    )


def unit(
    code: str = "EHU-N1",
    district_code: str = "DN1",
    area_code: str = "AN",
    service: str = Service.EARLY_HELP_UNIT,
) -> OrgUnit:
    return OrgUnitFactory(
        code=code,
        name=f"Unit {code}",
        kind=OrgKind.UNIT,
        parent=district(district_code, area_code),
        service=service,
    )


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker

    code = factory.Sequence(lambda n: f"W{n:04d}")
    name = factory.Faker("name", locale="en_GB")
    unit = factory.LazyFunction(unit)
    role = WorkerRole.PRACTITIONER
    fte = Decimal("1.00")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = UserRole.PRACTITIONER
    org_unit = factory.LazyFunction(unit)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def practitioner(unit_code: str = "EHU-N1", district_code: str = "DN1", **kw: object) -> User:
    """A practitioner user with a worker record in the given unit."""
    the_unit = unit(unit_code, district_code)
    worker = WorkerFactory(unit=the_unit, role=WorkerRole.PRACTITIONER)
    return UserFactory(role=UserRole.PRACTITIONER, org_unit=the_unit, worker=worker, **kw)


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = Family

    family_ref = factory.Sequence(lambda n: f"F{n:07d}")
    district = factory.LazyFunction(district)
    postcode = "ME14 1XQ"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    person_ref = factory.Sequence(lambda n: f"P{n:07d}")
    family = factory.SubFactory(FamilyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2010, 5, 13)
    sex = Sex.F
    role_in_family = RoleInFamily.CHILD

    @factory.lazy_attribute
    def given_name_key(self) -> str:
        from earlyhelp.domain.matching import phonetic_key

        return phonetic_key(self.given_name)

    @factory.lazy_attribute
    def family_name_key(self) -> str:
        from earlyhelp.domain.matching import phonetic_key

        return phonetic_key(self.family_name)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    notification_ref = factory.Sequence(lambda n: f"N{n:07d}")
    person = factory.SubFactory(PersonFactory)
    family = factory.LazyAttribute(lambda o: o.person.family)
    received_at = dt.datetime(2016, 1, 4, 10, 0, tzinfo=LONDON)
    source = Source.SCHOOL
    category = Category.STANDARD
    reason = "Concerns about school attendance and behaviour at home."
    due_on = factory.LazyAttribute(
        lambda o: triage_due_date(o.received_at.astimezone(LONDON).date(), o.category)
    )


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    case_ref = factory.Sequence(lambda n: f"C{n:07d}")
    family = factory.SubFactory(FamilyFactory)
    unit = factory.LazyFunction(unit)
    worker = factory.LazyAttribute(lambda o: WorkerFactory(unit=o.unit))
    opened_on = dt.date(2016, 1, 5)


def partner(organisation: str = "Oakfield Primary School", **kw: object) -> User:
    """A partner account (a school unless `partner_source` says otherwise)."""
    kw.setdefault("partner_source", Source.SCHOOL)
    return UserFactory(
        role=UserRole.PARTNER, org_unit=None, partner_organisation=organisation, **kw
    )


def answers(**overrides: object) -> Answers:
    """A partner's complete, valid notification about a synthetic child in district DN1
    (whose families live around ME14), with any answers replaced."""
    values: dict[str, object] = {
        "child_given_name": "Amelia",
        "child_family_name": "Testington",
        "child_date_of_birth": dt.date(2009, 2, 17),
        "child_sex": "F",
        "address_line_1": "1 Example Street",
        "town": "Maidstone",
        "postcode": "ME14 1XQ",
        "concerns": "Attendance has fallen to 80% this term and she seems withdrawn.",
        "what_has_been_tried": "Meetings with mum; a mentor at school.",
        "family_consent": True,
        "referrer_name": "Sam Teacher",
        "referrer_organisation": "Oakfield Primary School",
        "referrer_email": "sam.teacher@example.org",
        "source": Source.SCHOOL.value,
    }
    values.update(overrides)
    return Answers(**values)  # type: ignore[arg-type]
