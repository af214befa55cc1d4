#!/usr/bin/env python3
"""Seeds the local AWS for development and tests. Idempotent: running it again changes nothing
that is already in place (and keeps the demo user's API key).

    python localaws/seed.py --endpoint http://127.0.0.1:4566 --out .local-aws

Creates, in the platform account (moto's default, 123456789012):
  * the Cognito user pool `fastish-portal` (custom attributes apikey, role, subscription; optional
    TOTP MFA) and the app client `fastish-portal-web` (no secret; USER_PASSWORD_AUTH and refresh;
    its read attributes exclude custom:apikey, so the key is never in an ID token or GetUser);
  * the demo subscriber user (its key drawn from the OS CSPRNG);
and two subscriber accounts:
  * DEMO_ACCOUNT: a complete, correct CDK bootstrap trusting the platform with the demo key;
  * BROKEN_ACCOUNT: the same shape, deliberately misconfigured (see BROKEN below).

Writes OUT/portal.env (the portal's settings for this emulator) and OUT/demo.json (the demo user,
and both accounts' resources in the Fastish bootstrap output form, ready to import).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

import boto3
import botocore.exceptions

PLATFORM_ACCOUNT = "123456789012"
PLATFORM_PRINCIPAL = f"arn:aws:iam::{PLATFORM_ACCOUNT}:root"
DEMO_ACCOUNT = "210987654321"
BROKEN_ACCOUNT = "310987654321"
REGION = "us-west-2"
QUALIFIER = "hnb659fds"
POOL_NAME = "fastish-portal"
CLIENT_NAME = "fastish-portal-web"
DEMO_EMAIL = "demo@fastish.local"
# A local-only password for the emulator's demo user; printed by `make dev`.
DEMO_PASSWORD = "Demo-Passw0rd!"
READ_ATTRIBUTES = ["email", "email_verified", "custom:role", "custom:subscription"]

BROKEN = {
    "handshake_requires_external_id": False,  # confused deputy: any ExternalId or none works
    "bucket_region": "us-east-1",  # the synthesizer says us-west-2
    "ecr_repository": False,  # missing
    "kms_enabled": False,  # the key exists but is disabled
    "deploy_trust": "null",  # CDK v29+ Null condition: forbids an ExternalId
    "bootstrap_version": "20",  # below 21
}


class Seeder:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    def client(self, service: str, account: str | None = None, region: str = REGION):
        c = boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        if account:
            # Test-fixture only: selects the emulated account. The portal never sends it.
            c.meta.events.register(
                "before-sign.*.*",
                lambda request, **_: request.headers.__setitem__("x-moto-account-id", account),
            )
        return c

    # ---- platform account: Cognito -------------------------------------------------------
    def user_pool(self) -> tuple[str, str]:
        idp = self.client("cognito-idp")
        pools = idp.list_user_pools(MaxResults=60)["UserPools"]
        pool_id = next((p["Id"] for p in pools if p["Name"] == POOL_NAME), None)
        if pool_id is None:
            pool_id = idp.create_user_pool(
                PoolName=POOL_NAME,
                Policies={
                    "PasswordPolicy": {
                        "MinimumLength": 12,
                        "RequireUppercase": True,
                        "RequireLowercase": True,
                        "RequireNumbers": True,
                        "RequireSymbols": True,
                    }
                },
                UsernameAttributes=["email"],
                AutoVerifiedAttributes=["email"],
                Schema=[
                    {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
                    {"Name": "apikey", "AttributeDataType": "String", "Mutable": True},
                    {"Name": "role", "AttributeDataType": "String", "Mutable": True},
                    {"Name": "subscription", "AttributeDataType": "String", "Mutable": True},
                ],
            )["UserPool"]["Id"]
            idp.set_user_pool_mfa_config(
                UserPoolId=pool_id,
                SoftwareTokenMfaConfiguration={"Enabled": True},
                MfaConfiguration="OPTIONAL",
            )
        clients = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        client_id = next((c["ClientId"] for c in clients if c["ClientName"] == CLIENT_NAME), None)
        if client_id is None:
            client_id = idp.create_user_pool_client(
                UserPoolId=pool_id,
                ClientName=CLIENT_NAME,
                GenerateSecret=False,
                ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                ReadAttributes=READ_ATTRIBUTES,
                WriteAttributes=["email"],
            )["UserPoolClient"]["ClientId"]
        return pool_id, client_id

    def demo_user(self, pool_id: str) -> str:
        """Returns the demo user's API key (created once, then read back)."""
        idp = self.client("cognito-idp")
        try:
            user = idp.admin_get_user(UserPoolId=pool_id, Username=DEMO_EMAIL)
            attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
            return attrs["custom:apikey"]
        except idp.exceptions.UserNotFoundException:
            pass
        api_key = "sk_" + secrets.token_hex(16)
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=DEMO_EMAIL,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": DEMO_EMAIL},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:apikey", "Value": api_key},
                {"Name": "custom:role", "Value": ""},
                {"Name": "custom:subscription", "Value": "free"},
            ],
        )
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=DEMO_EMAIL, Password=DEMO_PASSWORD, Permanent=True
        )
        return api_key

    # ---- subscriber accounts: a CDK bootstrap ----------------------------------------------
    def role(self, account: str, name: str, trust: dict) -> str:
        iam = self.client("iam", account)
        doc = json.dumps({"Version": "2012-10-17", "Statement": [trust]})
        try:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc, MaxSessionDuration=3600)
        except iam.exceptions.EntityAlreadyExistsException:
            iam.update_assume_role_policy(RoleName=name, PolicyDocument=doc)
        return f"arn:aws:iam::{account}:role/{name}"

    def release_target(self, account: str) -> dict:
        """A hosted zone and a verified SES sender in the demo account, for webapp releases."""
        domain = "shop.example.com"
        r53 = self.client("route53", account, region="us-east-1")
        zones = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == domain + "."]
        if zones:
            zone_id = zones[0]["Id"]
        else:
            zone_id = r53.create_hosted_zone(Name=domain, CallerReference="fastish-demo")["HostedZone"]["Id"]
        email = f"noreply@{domain}"
        self.client("ses", account).verify_email_identity(EmailAddress=email)
        return {"domain": domain, "hostedZoneId": zone_id.removeprefix("/hostedzone/"), "email": email}

    def bootstrap(self, account: str, api_key: str, broken: dict | None = None) -> dict:
        broken = broken or {}
        q = QUALIFIER
        platform_trust = {
            "Effect": "Allow",
            "Principal": {"AWS": PLATFORM_PRINCIPAL},
            "Action": "sts:AssumeRole",
        }
        if broken.get("handshake_requires_external_id", True):
            platform_trust["Condition"] = {"StringEquals": {"sts:ExternalId": api_key}}
        handshake = self.role(account, "fastish-handshake-role", platform_trust)

        if broken.get("deploy_trust") == "null":
            deploy_condition = {"Null": {"sts:ExternalId": "true"}}
        else:
            deploy_condition = {"StringEquals": {"sts:ExternalId": api_key}}
        deploy = self.role(
            account,
            f"cdk-{q}-deploy-role-{account}-{REGION}",
            {
                "Effect": "Allow",
                "Principal": {"AWS": [f"arn:aws:iam::{account}:root", PLATFORM_PRINCIPAL]},
                "Action": "sts:AssumeRole",
                "Condition": deploy_condition,
            },
        )
        account_trust = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "sts:AssumeRole",
        }
        cfn_trust = {
            "Effect": "Allow",
            "Principal": {"Service": "cloudformation.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
        exec_role = self.role(account, f"cdk-{q}-cfn-exec-role-{account}-{REGION}", cfn_trust)
        lookup = self.role(account, f"cdk-{q}-lookup-role-{account}-{REGION}", account_trust)
        file_publish = self.role(account, f"cdk-{q}-file-publishing-role-{account}-{REGION}", account_trust)
        image_publish = self.role(account, f"cdk-{q}-image-publishing-role-{account}-{REGION}", account_trust)

        bucket = f"cdk-{q}-assets-{account}-{REGION}"
        bucket_region = broken.get("bucket_region", REGION)
        s3 = self.client("s3", account, region=bucket_region)
        try:
            if bucket_region == "us-east-1":
                s3.create_bucket(Bucket=bucket)
            else:
                s3.create_bucket(
                    Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": bucket_region}
                )
        except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
            pass

        repo = f"cdk-{q}-container-assets-{account}-{REGION}"
        if broken.get("ecr_repository", True):
            ecr = self.client("ecr", account)
            try:
                ecr.create_repository(repositoryName=repo)
            except ecr.exceptions.RepositoryAlreadyExistsException:
                pass

        kms = self.client("kms", account)
        alias = "alias/fastish-assets"
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
        key_id = aliases.get(alias)
        if key_id is None:
            key_id = kms.create_key(Description="Fastish CDK assets key")["KeyMetadata"]["KeyId"]
            kms.create_alias(AliasName=alias, TargetKeyId=key_id)
        if broken.get("kms_enabled", True):
            kms.enable_key(KeyId=key_id)
        else:
            kms.disable_key(KeyId=key_id)

        parameter = f"/cdk-bootstrap/{q}/version"
        self.client("ssm", account).put_parameter(
            Name=parameter,
            Value=broken.get("bootstrap_version", "21"),
            Type="String",
            Overwrite=True,
        )
        return {
            "account": account,
            "region": REGION,
            "cdk": {
                "version": broken.get("bootstrap_version", "21"),
                "kms": {"key": key_id, "alias": alias},
                "ssm": {"parameter": parameter},
                "role": {
                    "handshake": handshake,
                    "exec": exec_role,
                    "deploy": deploy,
                    "lookup": lookup,
                    "filePublish": file_publish,
                    "imagePublish": image_publish,
                },
                "storage": {"assetsBucket": bucket, "imagesRepo": repo},
            },
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed the local AWS (idempotent).")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--out", required=True, help="directory for portal.env and demo.json")
    args = parser.parse_args(argv)

    seeder = Seeder(args.endpoint)
    try:
        pool_id, client_id = seeder.user_pool()
        api_key = seeder.demo_user(pool_id)
        demo = seeder.bootstrap(DEMO_ACCOUNT, api_key)
        broken = seeder.bootstrap(BROKEN_ACCOUNT, api_key, BROKEN)
        release = seeder.release_target(DEMO_ACCOUNT)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as err:
        print(f"seeding the local AWS at {args.endpoint} failed: {err}", file=sys.stderr)
        return 1

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {
        "AWS_ENDPOINT_URL": args.endpoint,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "PORTAL_COGNITO_USER_POOL_ID": pool_id,
        "PORTAL_COGNITO_CLIENT_ID": client_id,
        "PORTAL_COGNITO_JWKS_URL": f"{args.endpoint}/{pool_id}/.well-known/jwks.json",
        "PORTAL_PLATFORM_PRINCIPAL": PLATFORM_PRINCIPAL,
    }
    (out / "portal.env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    # The API key is deliberately not written anywhere: it lives in Cognito only.
    (out / "demo.json").write_text(
        json.dumps(
            {
                "email": DEMO_EMAIL,
                "password": DEMO_PASSWORD,
                "userPoolId": pool_id,
                "clientId": client_id,
                "synthesizers": {"demo": demo, "broken": broken},
                "release": release,
                "broken": BROKEN,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"seeded {args.endpoint}: user pool {pool_id}, demo user {DEMO_EMAIL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
