"""AssumeRole over the wire against the launcher: STS refuses what AWS would refuse."""

import json

import botocore.exceptions
import pytest

SUBSCRIBER = "210987654321"
TRUSTS_PORTAL = {"AWS": "arn:aws:iam::123456789012:root"}


def make_role(iam, name, condition=None, max_session=3600):
    statement = {"Effect": "Allow", "Principal": TRUSTS_PORTAL, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    doc = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    try:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc, MaxSessionDuration=max_session)
    except iam.exceptions.EntityAlreadyExistsException:
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=doc)
    return f"arn:aws:iam::{SUBSCRIBER}:role/{name}"


def assume(sts, arn, external_id=None, duration=900):
    kwargs = dict(RoleArn=arn, RoleSessionName="fastish-verification", DurationSeconds=duration)
    if external_id is not None:
        kwargs["ExternalId"] = external_id
    return sts.assume_role(**kwargs)


def error_of(call):
    with pytest.raises(botocore.exceptions.ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def handshake(client):
    return make_role(client("iam", SUBSCRIBER), "fastish-handshake", {"StringEquals": {"sts:ExternalId": "sk_right"}})


def test_correct_external_id_gets_credentials_in_the_subscriber_account(client, handshake):
    creds = assume(client("sts"), handshake, "sk_right")["Credentials"]
    identity = client("sts", credentials=creds).get_caller_identity()
    assert identity["Account"] == SUBSCRIBER


@pytest.mark.parametrize("external_id", ["sk_wrong", None])
def test_wrong_or_missing_external_id_is_denied(client, handshake, external_id):
    assert error_of(lambda: assume(client("sts"), handshake, external_id)) == ("AccessDenied", 403)


def test_missing_role_is_denied(client):
    arn = f"arn:aws:iam::{SUBSCRIBER}:role/does-not-exist"
    assert error_of(lambda: assume(client("sts"), arn, "sk_right")) == ("AccessDenied", 403)


def test_role_in_another_account_with_same_name_is_not_found(client, handshake):
    other = handshake.replace(SUBSCRIBER, "333333333333")
    assert error_of(lambda: assume(client("sts"), other, "sk_right")) == ("AccessDenied", 403)


@pytest.mark.parametrize("external_id", ["anything", None])
def test_unconditioned_policy_accepts_any_external_id(client, external_id):
    arn = make_role(client("iam", SUBSCRIBER), "open-handshake")
    assert assume(client("sts"), arn, external_id)["Credentials"]["AccessKeyId"]


def test_duration_bounds(client):
    arn = make_role(client("iam", SUBSCRIBER), "short-role", max_session=3600)
    # botocore refuses 899 itself; the server must refuse it too, for clients that do not.
    unchecked = client("sts", validate=False)
    assert error_of(lambda: assume(unchecked, arn, duration=899))[0] == "ValidationError"
    assert error_of(lambda: assume(client("sts"), arn, duration=3601))[0] == "ValidationError"
    assert assume(client("sts"), arn, duration=3600)["Credentials"]


def test_other_services_are_untouched(client):
    s3 = client("s3", SUBSCRIBER)
    s3.create_bucket(Bucket="fastish-wire-test", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert s3.get_bucket_location(Bucket="fastish-wire-test")["LocationConstraint"] == "us-west-2"
