"""The seeded local AWS: idempotent, and shaped the way the portal's security relies on."""

import base64
import json

import botocore.exceptions
import pytest

import seed


@pytest.fixture(scope="module")
def seeded(endpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    assert seed.main(["--endpoint", endpoint, "--out", str(out)]) == 0
    first = json.loads((out / "demo.json").read_text())
    assert seed.main(["--endpoint", endpoint, "--out", str(out)]) == 0
    second = json.loads((out / "demo.json").read_text())
    assert first == second, "seeding twice must change nothing"
    return first, (out / "portal.env").read_text()


def api_key(client, pool_id):
    user = client("cognito-idp").admin_get_user(UserPoolId=pool_id, Username=seed.DEMO_EMAIL)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}["custom:apikey"]


def test_env_file_names_the_pool_and_jwks(seeded):
    demo, env = seeded
    assert f"PORTAL_COGNITO_USER_POOL_ID={demo['userPoolId']}" in env
    assert f"PORTAL_COGNITO_CLIENT_ID={demo['clientId']}" in env
    assert "/.well-known/jwks.json" in env
    assert "sk_" not in env and "sk_" not in json.dumps(demo), "the key stays in Cognito"


def test_key_is_well_formed_and_hidden_from_the_app_client(client, seeded):
    demo, _ = seeded
    key = api_key(client, demo["userPoolId"])
    assert key.startswith("sk_") and len(key) == 35 and int(key[3:], 16) >= 0
    idp = client("cognito-idp")
    tokens = idp.initiate_auth(
        ClientId=demo["clientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": demo["email"], "PASSWORD": demo["password"]},
    )["AuthenticationResult"]
    payload = tokens["IdToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert "custom:apikey" not in claims
    assert key not in json.dumps(claims)
    attributes = idp.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"]
    assert "custom:apikey" not in {a["Name"] for a in attributes}
    assert "custom:subscription" in {a["Name"] for a in attributes}
    assert claims.get("custom:subscription") == "free"
    described = idp.describe_user_pool_client(UserPoolId=demo["userPoolId"], ClientId=demo["clientId"])
    assert "custom:apikey" not in described["UserPoolClient"]["ReadAttributes"]


def assume(client, arn, external_id):
    kwargs = dict(RoleArn=arn, RoleSessionName="fastish-verification", DurationSeconds=900)
    if external_id is not None:
        kwargs["ExternalId"] = external_id
    return client("sts").assume_role(**kwargs)


def test_demo_handshake_needs_the_key(client, seeded):
    demo, _ = seeded
    key = api_key(client, demo["userPoolId"])
    arn = demo["synthesizers"]["demo"]["cdk"]["role"]["handshake"]
    assert assume(client, arn, key)["Credentials"]
    for wrong in (None, "sk_" + "0" * 32):
        with pytest.raises(botocore.exceptions.ClientError):
            assume(client, arn, wrong)


def test_broken_account_is_broken_as_documented(client, seeded):
    demo, _ = seeded
    broken = demo["synthesizers"]["broken"]
    account = broken["account"]
    assert assume(client, broken["cdk"]["role"]["handshake"], None)["Credentials"], "confused deputy"
    s3 = client("s3", account)
    location = s3.get_bucket_location(Bucket=broken["cdk"]["storage"]["assetsBucket"])
    assert location.get("LocationConstraint") in (None, "")  # us-east-1
    with pytest.raises(botocore.exceptions.ClientError):
        client("ecr", account).describe_repositories(repositoryNames=[broken["cdk"]["storage"]["imagesRepo"]])
    key = client("kms", account).describe_key(KeyId=broken["cdk"]["kms"]["alias"])["KeyMetadata"]
    assert key["Enabled"] is False
    assert client("ssm", account).get_parameter(Name=broken["cdk"]["ssm"]["parameter"])["Parameter"]["Value"] == "20"


def test_demo_release_target_is_in_place(client, seeded):
    release = seeded[0]["release"]
    zone = client("route53", "210987654321", region="us-east-1").get_hosted_zone(Id=release["hostedZoneId"])
    assert zone["HostedZone"]["Name"] == release["domain"] + "."
    attrs = client("ses", "210987654321").get_identity_verification_attributes(Identities=[release["email"]])
    assert attrs["VerificationAttributes"][release["email"]]["VerificationStatus"] == "Success"
