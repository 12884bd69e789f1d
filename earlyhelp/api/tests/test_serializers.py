"""Each submission serializer has fields of its own, copied from fields made once."""

from __future__ import annotations

from earlyhelp.api.serializers import PoliceRowSerializer, SubmissionSerializer
from earlyhelp.testing import factories as f


def test_two_serializers_at_once_share_no_bound_field_and_no_error():
    good = SubmissionSerializer(data=f.answers().as_json())
    bad = SubmissionSerializer(data={**f.answers().as_json(), "child_sex": "Q", "postcode": 7})
    assert good.fields["postcode"] is not bad.fields["postcode"]
    assert good.fields["postcode"].parent is good
    assert bad.fields["postcode"].parent is bad
    assert not bad.is_valid()
    assert set(bad.errors) == {"child_sex", "postcode"}
    assert bad.errors["postcode"] == ["Give text (a JSON string)."]
    assert bad.errors["child_sex"] == ["Choose one of: F, M, U."]
    assert good.is_valid(), good.errors
    assert good.answers().postcode == f.answers().postcode


def test_the_police_feed_keeps_its_own_fields():
    row = PoliceRowSerializer(data={})
    assert "incident_reference" in row.fields
    assert "incident_reference" not in SubmissionSerializer(data={}).fields
    assert row.fields["category"].choices.keys() == {"MISSING_CHILD", "E_YOT"}
