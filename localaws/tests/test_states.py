"""The fixture hooks for states stock moto cannot produce, over the wire with boto3."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

ACCOUNT = "555566667777"


def put_state(endpoint, body):
    req = urllib.request.Request(
        f"{endpoint}/_fastish/state", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def test_ses_identity_pending_and_failed(endpoint, client):
    ses = client("ses", ACCOUNT)
    ses.verify_email_identity(EmailAddress="ok@example.com")
    put_state(endpoint, {"ses": {"account": ACCOUNT, "identity": "wait@example.com", "status": "Pending"}})
    put_state(endpoint, {"ses": {"account": ACCOUNT, "identity": "bad@example.com", "status": "Failed"}})
    attrs = ses.get_identity_verification_attributes(
        Identities=["ok@example.com", "wait@example.com", "bad@example.com", "none@example.com"]
    )["VerificationAttributes"]
    assert attrs["ok@example.com"]["VerificationStatus"] == "Success"
    assert attrs["wait@example.com"]["VerificationStatus"] == "Pending"
    assert attrs["bad@example.com"]["VerificationStatus"] == "Failed"
    assert "none@example.com" not in attrs
    # Another account does not see the override.
    other = client("ses", "555566668888").get_identity_verification_attributes(Identities=["wait@example.com"])
    assert other["VerificationAttributes"] == {}


@pytest.mark.parametrize("status", ["ROLLBACK_COMPLETE", "CREATE_FAILED", "DELETE_IN_PROGRESS"])
def test_stack_status(endpoint, client, status):
    cfn = client("cloudformation", ACCOUNT)
    name = f"s-{status.lower().replace('_', '-')}"
    cfn.create_stack(StackName=name, TemplateBody=json.dumps({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}))
    put_state(endpoint, {"stack": {"account": ACCOUNT, "region": "us-west-2", "name": name, "status": status}})
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == status


def test_lambda_concurrency_quota(endpoint, client):
    sq = client("service-quotas", ACCOUNT)
    with pytest.raises(sq.exceptions.NoSuchResourceException):
        sq.get_service_quota(ServiceCode="lambda", QuotaCode="L-B99A9384")
    put_state(endpoint, {"quota": {"account": ACCOUNT, "region": "us-west-2", "service": "lambda", "code": "L-B99A9384", "value": 400}})
    assert sq.get_service_quota(ServiceCode="lambda", QuotaCode="L-B99A9384")["Quota"]["Value"] == 400
    # The VPC quota still comes from moto.
    assert sq.get_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]["Value"] == 5


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ses": {"account": ACCOUNT, "identity": "x@example.com", "status": "Maybe"}},
        {"stack": {"account": ACCOUNT, "region": "us-west-2", "name": "never-created", "status": "CREATE_FAILED"}},
        {"quota": {"account": ACCOUNT, "region": "us-west-2", "service": "lambda", "code": "L-1", "value": "lots"}},
        [1, 2],
    ],
)
def test_bad_requests_are_refused(endpoint, body):
    with pytest.raises(urllib.error.HTTPError) as e:
        put_state(endpoint, body)
    assert e.value.code == 400


def test_hosted_zone_ids_are_aws_shaped(client):
    r53 = client("route53", ACCOUNT, region="us-east-1")
    zone = r53.create_hosted_zone(Name="acme.example", CallerReference="r1")["HostedZone"]
    zone_id = zone["Id"].removeprefix("/hostedzone/")
    assert zone_id.startswith("Z") and zone_id[1:].isalnum() and zone_id.upper() == zone_id
    assert r53.get_hosted_zone(Id=zone_id)["HostedZone"]["Name"] == "acme.example."
