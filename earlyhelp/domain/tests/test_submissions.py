"""A partner's answers survive being kept as JSON (a queued submission is recorded from
them later: decision 0017), with the same fingerprint."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.codes import Category, Source
from earlyhelp.domain.submissions import PARTNER_CATEGORIES, Answers, recording_may_wait

text = st.text(max_size=40)

answers = st.builds(
    Answers,
    child_given_name=text,
    child_family_name=text,
    child_date_of_birth=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))),
    child_sex=st.sampled_from("FMU"),
    address_line_1=text,
    town=text,
    postcode=text,
    concerns=text,
    referrer_name=text,
    referrer_organisation=text,
    referrer_email=text,
    source=st.sampled_from([s.value for s in Source]),
    family_consent=st.one_of(st.none(), st.booleans()),
    category=st.sampled_from([c.value for c in PARTNER_CATEGORIES]),
    what_has_been_tried=text,
    urgent=st.booleans(),
    share_outcome_consent=st.booleans(),
    child_upn=text,
    parent_carer_name=text,
    referrer_role=text,
    referrer_phone=text,
    district_code=text,
)


@given(answers)
def test_answers_kept_as_json_come_back_the_same(original: Answers) -> None:
    kept = json.loads(json.dumps(original.as_json()))  # as a JSON column stores them
    again = Answers.from_json(kept)
    assert again == original
    assert again.fingerprint() == original.fingerprint()


def test_answers_kept_by_an_older_version_take_the_defaults() -> None:
    kept = {
        "child_given_name": "Ava",
        "child_family_name": "Example",
        "child_date_of_birth": "2012-05-01",
        "child_sex": "F",
        "address_line_1": "1 Example Road",
        "town": "Exampleton",
        "postcode": "ME14 1XQ",
        "concerns": "Worried.",
        "referrer_name": "A Teacher",
        "referrer_organisation": "A School",
        "referrer_email": "a@example.org",
        "source": "SCHOOL",
        "family_consent": True,
        "a_field_since_removed": "ignored",
    }
    answers = Answers.from_json(kept)
    assert answers.child_date_of_birth == date(2012, 5, 1)
    assert answers.category == Category.STANDARD
    assert answers.urgent is False


moments = st.datetimes(datetime(2016, 1, 1), datetime(2030, 1, 1))
spans = st.timedeltas(timedelta(0), timedelta(hours=2))
ages = st.timedeltas(timedelta(hours=-25), timedelta(hours=2))  # negative: the clock went back


@given(moments, ages, spans, spans, spans, st.booleans())
def test_a_worker_stands_back_only_while_partners_send_and_never_past_the_longest_wait(
    now: datetime,
    newest_age: timedelta,
    extra: timedelta,
    quiet: timedelta,
    longest: timedelta,
    pressing: bool,
) -> None:
    newest, oldest = now - newest_age, now - newest_age - extra
    waits = recording_may_wait(
        oldest=oldest, newest=newest, now=now, quiet=quiet, longest=longest, pressing=pressing
    )
    oldest_age = newest_age + extra
    assert waits == (not pressing and newest_age < quiet and timedelta(0) <= oldest_age < longest)
    if pressing or oldest_age >= longest or newest_age >= quiet or oldest_age < timedelta(0):
        assert not waits


def test_a_clock_gone_back_at_midnight_does_not_hold_the_queue() -> None:
    before_midnight = datetime(2018, 3, 31, 23, 59, 50)
    pinned_again = datetime(2018, 3, 31, 0, 0, 5)  # a pinned date at the next real midnight
    quiet, longest = timedelta(seconds=1), timedelta(minutes=5)
    assert not recording_may_wait(
        oldest=before_midnight, newest=pinned_again, now=pinned_again, quiet=quiet, longest=longest
    )
