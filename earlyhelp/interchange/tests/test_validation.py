"""Every rule of spec/interchange.md: a broken dataset lists every error and writes nothing.

Each test breaks the small valid dataset of `helpers.BASE` (its first data row is line 2)
and compares the exact `file:line: column: message` lines; `broken` also checks that
no table received a row.
"""

from __future__ import annotations

import pytest

from earlyhelp.interchange.tests.helpers import BASE, broken, import_dir, with_rows, write_dataset

pytestmark = pytest.mark.django_db

CASE_HEADER = BASE["cases"].splitlines()[0]
NOTIFICATION_HEADER = BASE["notifications"].splitlines()[0]


def test_the_small_dataset_is_valid(tmp_path):
    result = import_dir(write_dataset(tmp_path))

    assert result.warnings == []
    assert {f.name: f.created for f in result.files}["cases.csv"] == 1


def test_an_unknown_column_and_a_missing_column_are_both_reported(tmp_path):
    errors = broken(tmp_path, workers="code,name,unit,role,fte\nW1,Worker One,EHU1,MANAGER,1\n")

    assert errors == [
        "workers.csv:1: unit: unknown column: the columns are code, name, unit_code, role, fte",
        "workers.csv:1: unit_code: missing column",
    ]


def test_columns_may_come_in_any_order_but_not_twice(tmp_path):
    errors = broken(
        tmp_path,
        targets="year,indicator_code,floor,target,year\n2016,EH05,70,78,2016\n",
    )

    assert errors == ["targets.csv:1: year: the column appears twice"]


def test_org_units_csv_is_required_and_an_unknown_file_is_refused(tmp_path):
    (tmp_path / "dataset").mkdir()
    (tmp_path / "dataset" / "reveiws.csv").write_text("case_id,review_date\n")
    others = {stem: None for stem in BASE}

    errors = broken(tmp_path, **others)

    assert errors == [
        "org_units.csv:0: -: the file is missing: every dataset has one",
        "reveiws.csv:0: -: unknown file: the files of a dataset are org_units.csv, "
        "workers.csv, families.csv, people.csv, notifications.csv, cases.csv, reviews.csv, "
        "context_figures.csv, imported_indicators.csv, targets.csv",
    ]


def test_an_empty_file_and_a_row_with_too_many_fields(tmp_path):
    errors = broken(
        tmp_path,
        targets="",
        context_figures=with_rows("context_figures", "SCS_CLOSURES,2016-02,DN1,5,6"),
    )

    assert errors == [
        "context_figures.csv:3: -: the row has 5 fields where the header has 4",
        "targets.csv:1: -: the file is empty: it needs a header row",
    ]


def test_identifiers_are_unique_within_their_file_and_at_most_64_characters(tmp_path):
    long_id = "X" * 65
    errors = broken(
        tmp_path,
        people=with_rows(
            "people", "P2,F1,Cat,Smith,,U,CHILD,,,", f"{long_id},F1,Dan,Smith,,M,CHILD,,,"
        ),
        reviews=with_rows("reviews", "C1,2016-03-01"),
        context_figures=with_rows("context_figures", "SCS_CLOSURES,2016-01,DN1,7"),
    )

    assert errors == [
        "people.csv:4: person_id: P2 appears twice: first on line 3",
        f"people.csv:5: person_id: '{'X' * 37}...' is longer than 64 characters",
        "reviews.csv:3: review_date: the same case_id, review_date as line 2",
        "context_figures.csv:3: org_unit_code: the same measure, period, org_unit_code as line 2",
    ]


def test_foreign_keys_resolve_within_the_dataset_or_the_database(tmp_path):
    errors = broken(
        tmp_path,
        workers=with_rows("workers", "W2,Worker Two,EHU9,PRACTITIONER,1"),
        people=with_rows("people", "P3,F9,Cat,Smith,,U,CHILD,,,"),
        notifications=with_rows("notifications", "N2,P9,2016-01-04T09:00,POLICE,E_YOT,,,"),
        cases=with_rows("cases", "C2,N9,F9,EHU1,W9,2016-01-05,,,,,", "C3,,F1,DN1,,2016-01-05,,,,,"),
        reviews=with_rows("reviews", "C9,2016-03-01"),
    )

    assert errors == [
        "workers.csv:3: unit_code: EHU9 is not in org_units.csv or the database",
        "people.csv:4: family_id: F9 is not in families.csv or the database",
        "notifications.csv:3: person_id: P9 is not in people.csv or the database",
        "cases.csv:3: notification_id: N9 is not in notifications.csv or the database",
        "cases.csv:3: family_id: F9 is not in families.csv or the database",
        "cases.csv:3: worker_code: W9 is not in workers.csv or the database",
        "cases.csv:4: unit_code: DN1 is a DISTRICT: it must be a UNIT",
        "reviews.csv:3: case_id: C9 is not in cases.csv or the database",
    ]


def test_codes_come_from_their_code_lists(tmp_path):
    errors = broken(
        tmp_path,
        workers=with_rows("workers", "W2,Worker Two,EHU1,practitioner,1"),
        people=with_rows("people", "P3,F1,Cat,Smith,,X,CHILD,XXXX,,"),
    )

    assert errors == [
        "workers.csv:3: role: 'practitioner' is not one of PRACTITIONER, SENIOR_PRACTITIONER, "
        "UNIT_LEADER, TRIAGE_OFFICER, BUSINESS_SUPPORT, MANAGER",
        "people.csv:4: sex: 'X' is not one of F, M, U",
        "people.csv:4: ethnicity: 'XXXX' is not one of WBRI, WIRI, WIRT, WOTH, WROM, MWBC, "
        "MWBA, MWAS, MOTH, AIND, APKN, ABAN, AOTH, BCRB, BAFR, BOTH, CHNE, OOTH, REFU, NOBT",
    ]


def test_dates_months_and_date_times_have_their_format(tmp_path):
    errors = broken(
        tmp_path,
        notifications=with_rows(
            "notifications",
            "N2,P1,2016-01-04 09:00,POLICE,E_YOT,,,",
            "N3,P1,2016-03-27T01:30,POLICE,E_YOT,,,",
        ),
        cases=with_rows("cases", "C2,,F1,EHU1,,2016-02-30,,,,,"),
        context_figures=with_rows("context_figures", "SCS_CLOSURES,2016-13,DN1,5"),
    )

    assert errors == [
        "notifications.csv:3: received_at: '2016-01-04 09:00' is not a date-time: "
        "write YYYY-MM-DDTHH:MM",
        "notifications.csv:4: received_at: '2016-03-27T01:30' did not happen in UK time: "
        "the clocks went forward",
        "cases.csv:3: opened_on: '2016-02-30' is not a date: write YYYY-MM-DD",
        "context_figures.csv:3: period: '2016-13' is not a month: write YYYY-MM",
    ]


def test_people_identifiers_and_date_of_birth(tmp_path, settings):
    settings.EARLYHELP_TODAY = "2016-07-01"
    errors = broken(
        tmp_path,
        families=with_rows("families", "F2,DN1,XX1 1XX,E0102400", "F3,DN1,,"),
        people=with_rows(
            "people",
            "P3,F1,Cat,Smith,2016-07-02,U,CHILD,,H80120000100,9434765918",
            "P4,F1,Dan,Smith,,U,CHILD,,,943476591",
            "P5,F1,Eve,Smith,,U,CHILD,,,9434765919",
            "P6,F1,,Smith,,U,CHILD,,,",
        ),
    )

    assert errors == [
        "families.csv:3: postcode: 'XX1 1XX' is not a UK postcode",
        "families.csv:3: lsoa_code: 'E0102400' is not an LSOA code: E01 followed by 6 digits",
        "people.csv:4: upn: 'H80120000100' is not a unique pupil number: it has 13 characters",
        "people.csv:4: nhs_number: 9434765918 is not an NHS number: its check digit is wrong",
        "people.csv:4: date_of_birth: 2016-07-02 is in the future",
        "people.csv:5: nhs_number: '943476591' is not an NHS number: it has 10 digits",
        "people.csv:6: nhs_number: 9434765919 is also the NHS number of P1 (line 2)",
        "people.csv:7: given_name: a value is required",
    ]


def test_triage_is_all_or_nothing_and_not_before_the_notification(tmp_path):
    errors = broken(
        tmp_path,
        notifications=with_rows(
            "notifications",
            "N2,P1,2016-01-04T09:00,POLICE,STANDARD,2016-01-04T08:59,NFA,1",
            "N3,P1,2016-01-04T09:00,POLICE,STANDARD,2016-01-04T10:00,,",
            "N4,P1,2016-01-04T09:00,POLICE,STANDARD,2016-01-04T10:00,NFA,5",
        ),
    )

    assert errors == [
        "notifications.csv:3: triaged_at: 2016-01-04T08:59 is before received_at "
        "(2016-01-04T09:00)",
        "notifications.csv:4: triage_decision: a value is required: triaged_at, "
        "triage_decision and threshold_level are all set or all empty",
        "notifications.csv:4: threshold_level: a value is required: triaged_at, "
        "triage_decision and threshold_level are all set or all empty",
        "notifications.csv:5: threshold_level: 5 is out of range: 1 to 4",
    ]


def test_case_dates_and_closure(tmp_path):
    errors = broken(
        tmp_path,
        cases=with_rows(
            "cases",
            "C2,,F1,EHU1,,2016-02-01,2016-01-31,,,2016-01-01,MOVED_AWAY",
            "C3,,F1,EHU1,,2016-02-01,2016-02-05,2016-02-04,,,",
            "C4,,F1,EHU1,,2016-02-01,,2016-02-04,,,",
            "C5,,F1,EHU1,,2016-02-01,,,,,MOVED_AWAY",
            "C6,,F1,EHU1,,2016-02-01,,,,2016-03-01,",
        ),
    )

    assert errors == [
        "cases.csv:3: assessment_started_on: 2016-01-31 is before the case opened (2016-02-01)",
        "cases.csv:3: closed_on: 2016-01-01 is before the case opened (2016-02-01)",
        "cases.csv:4: assessment_completed_on: 2016-02-04 is before the assessment started "
        "(2016-02-05)",
        "cases.csv:5: assessment_completed_on: the assessment cannot be completed without a "
        "start: assessment_started_on is empty",
        "cases.csv:6: closure_reason: must be empty while closed_on is empty",
        "cases.csv:7: closure_reason: a value is required when closed_on is set",
    ]


def test_reviews_fall_within_the_case(tmp_path):
    errors = broken(tmp_path, reviews=with_rows("reviews", "C1,2016-01-04", "C1,2016-07-01"))

    assert errors == [
        "reviews.csv:3: review_date: 2016-01-04 is before the case opened (2016-01-05)",
        "reviews.csv:4: review_date: 2016-07-01 is after the case closed (2016-06-30)",
    ]


def test_the_organisation_tree(tmp_path):
    errors = broken(
        tmp_path,
        org_units=with_rows(
            "org_units",
            "KC2,Other county,COUNTY,,",
            "DN2,District Two,DISTRICT,KC,",
            "EHU2,Unit Two,UNIT,AN,EARLY_HELP_UNIT",
            "EHU3,Unit Three,UNIT,DN1,",
            "AS,South,AREA,KC,TRIAGE",
            "TRIAGE,Triage,UNIT,KC,TRIAGE",
            "AW,West,AREA,,",
        ),
    )

    assert errors == [
        "org_units.csv:6: kind: only one COUNTY: KC (line 2) is the COUNTY",
        "org_units.csv:7: parent_code: KC is a COUNTY: a DISTRICT's parent is an AREA",
        "org_units.csv:8: parent_code: AN is an AREA: a UNIT's parent is a DISTRICT or the COUNTY",
        "org_units.csv:9: service: a value is required for a UNIT",
        "org_units.csv:10: service: only a UNIT has a service: leave it empty",
        "org_units.csv:12: parent_code: a value is required: an AREA's parent is the COUNTY",
    ]


def test_numbers(tmp_path):
    errors = broken(
        tmp_path,
        workers=with_rows(
            "workers",
            "W2,Two,EHU1,MANAGER,0",
            "W3,Three,EHU1,MANAGER,1.5",
            "W4,Four,EHU1,MANAGER,0.125",
        ),
        context_figures=with_rows("context_figures", "SCS_CLOSURES,2016-02,DN1,-1"),
        targets=with_rows("targets", "EH06,16,25,", "EH07,2017,,"),
    )

    assert errors == [
        "workers.csv:3: fte: 0 is out of range: more than 0 and at most 1",
        "workers.csv:4: fte: 1.5 is out of range: more than 0 and at most 1",
        "workers.csv:5: fte: 0.125 has more than 2 decimal places",
        "context_figures.csv:3: value: -1 is out of range: 0 or more",
        "targets.csv:3: year: '16' is not a year: write 4 digits, like 2016",
        "targets.csv:4: target: a value is required",
    ]


def test_figures_belong_to_the_right_level_and_indicator(tmp_path):
    errors = broken(
        tmp_path,
        context_figures=with_rows("context_figures", "SCS_CLOSURES,2016-02,EHU1,5"),
        imported_indicators=with_rows(
            "imported_indicators", "EH01,2016-03,KC,4.1,,", "NEET01,2016-03,EHU1,4.1,,"
        ),
        targets=with_rows("targets", "XX01,2016,1,"),
    )

    imported = (
        "NEET01, CC01, CC02, CC03, CC04, CC05, YS01, YJ01, YJ02, YJ03, YJ04, TF01, PA01, PA02, "
        "EX01, EX02, EX03, EX04"
    )
    assert errors == [
        "context_figures.csv:3: org_unit_code: EHU1 is a UNIT: it must be a DISTRICT",
        "imported_indicators.csv:3: indicator_code: 'EH01' is not an imported indicator: "
        + imported,
        "imported_indicators.csv:4: org_unit_code: EHU1 is a UNIT: it must be the COUNTY, an AREA "
        "or a DISTRICT",
        "targets.csv:3: indicator_code: 'XX01' is not an indicator: EH01, EH02, EH03, EH04, EH05, "
        f"EH06, EH07, EH08, EH09, EH10, EH11, EH12, {imported}",
    ]


def test_line_numbers_count_the_physical_lines_of_quoted_values(tmp_path):
    errors = broken(
        tmp_path,
        workers=with_rows(
            "workers", 'W2,"Worker\nwith a two-line name",EHU1,MANAGER,1', "W3,Three,EHU1,BOSS,1"
        ),
    )

    assert errors == [
        "workers.csv:5: role: 'BOSS' is not one of PRACTITIONER, SENIOR_PRACTITIONER, "
        "UNIT_LEADER, TRIAGE_OFFICER, BUSINESS_SUPPORT, MANAGER"
    ]
