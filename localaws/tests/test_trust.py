"""The trust-policy evaluator on its own: the operator and principal rules STS applies."""

import json
from urllib.parse import quote

import pytest

from fastish_localaws.trust import Caller, evaluate

PORTAL = Caller(account="123456789012", arn="arn:aws:iam::123456789012:role/portal")
STRANGER = Caller(account="999999999999", arn="arn:aws:iam::999999999999:user/mallory")


def policy(condition=None, principal=None, effect="Allow", action="sts:AssumeRole"):
    statement = {
        "Effect": effect,
        "Principal": principal or {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": action,
    }
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


EXTERNAL_ID = {"StringEquals": {"sts:ExternalId": "sk_0123"}}


@pytest.mark.parametrize(
    "external_id, allowed", [("sk_0123", True), ("sk_9999", False), (None, False), ("", False)]
)
def test_external_id_required(external_id, allowed):
    assert evaluate(policy(EXTERNAL_ID), PORTAL, external_id).allowed is allowed


@pytest.mark.parametrize("external_id", ["anything", None])
def test_policy_without_condition_accepts_any_external_id(external_id):
    assert evaluate(policy(), PORTAL, external_id).allowed


def test_principal_of_another_account_is_refused():
    assert not evaluate(policy(EXTERNAL_ID), STRANGER, "sk_0123").allowed


@pytest.mark.parametrize(
    "principal, allowed",
    [
        ({"AWS": "123456789012"}, True),
        ({"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::123456789012:root"]}, True),
        ({"AWS": "arn:aws:iam::123456789012:role/portal"}, True),
        ({"AWS": "arn:aws:iam::123456789012:role/other"}, False),
        ({"Service": "lambda.amazonaws.com"}, False),
        ("*", True),
    ],
)
def test_principal_forms(principal, allowed):
    assert evaluate(policy(principal=principal), PORTAL, None).allowed is allowed


def test_assumed_role_session_matches_its_role():
    caller = Caller.from_identity_arn(
        "arn:aws:sts::123456789012:assumed-role/portal/session-1", "123456789012"
    )
    assert caller.arn == "arn:aws:iam::123456789012:role/portal"


def test_string_like_wildcards():
    cond = {"StringLike": {"sts:ExternalId": "sk_*"}}
    assert evaluate(policy(cond), PORTAL, "sk_abc").allowed
    assert not evaluate(policy(cond), PORTAL, "pk_abc").allowed
    assert not evaluate(policy(cond), PORTAL, None).allowed


def test_for_any_value_string_equals():
    cond = {"ForAnyValue:StringEquals": {"sts:ExternalId": ["a", "sk_0123"]}}
    assert evaluate(policy(cond), PORTAL, "sk_0123").allowed
    assert not evaluate(policy(cond), PORTAL, None).allowed


def test_null_condition_forbids_an_external_id():
    # CDK bootstrap v29+: the roles must be assumed *without* an ExternalId.
    cond = {"Null": {"sts:ExternalId": "true"}}
    assert evaluate(policy(cond), PORTAL, None).allowed
    assert not evaluate(policy(cond), PORTAL, "sk_0123").allowed


def test_principal_account_and_arn_conditions():
    ok = {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}
    arn = {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/port*"}}
    assert evaluate(policy(ok, principal="*"), PORTAL, None).allowed
    assert not evaluate(policy(ok, principal="*"), STRANGER, None).allowed
    assert evaluate(policy(arn, principal="*"), PORTAL, None).allowed
    assert not evaluate(policy(arn, principal="*"), STRANGER, None).allowed


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceIp": "10.0.0.1"}},
        {"NumericLessThan": {"sts:ExternalId": "5"}},
        "not a mapping",
    ],
)
def test_unknown_conditions_deny(condition):
    assert not evaluate(policy(condition), PORTAL, "sk_0123").allowed


def test_explicit_deny_wins():
    doc = policy(EXTERNAL_ID)
    doc["Statement"].append(
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    )
    assert not evaluate(doc, PORTAL, "sk_0123").allowed


def test_other_actions_do_not_grant_assume_role():
    assert not evaluate(policy(action="sts:TagSession"), PORTAL, None).allowed
    assert evaluate(policy(action=["sts:TagSession", "sts:*"]), PORTAL, None).allowed


def test_url_encoded_and_invalid_documents():
    assert evaluate(quote(json.dumps(policy(EXTERNAL_ID))), PORTAL, "sk_0123").allowed
    assert not evaluate("{not json", PORTAL, None).allowed
