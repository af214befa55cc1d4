"""States real AWS reaches that stock moto cannot, put in place by test fixtures over the wire.

    POST /_fastish/state {"ses":   {"account", "identity", "status": "Pending" | "Failed" | ...}}
    POST /_fastish/state {"stack": {"account", "region", "name", "status": "ROLLBACK_COMPLETE" | ...}}
    POST /_fastish/state {"quota": {"account", "region", "service", "code", "value"}}

- SES (v1): moto reports every identity it knows as `Success` at once. An override makes
  GetIdentityVerificationAttributes answer the given status for that identity (known or not).
- CloudFormation: moto's stacks go straight to `CREATE_COMPLETE`. The stack (created by the
  fixture first) is set to the given status, as a failed create or a deletion would leave it.
- Service Quotas: moto knows only the `vpc` quotas. An override answers GetServiceQuota for that
  quota (e.g. `lambda` / `L-B99A9384`, concurrent executions) with the given value.

Also: moto's Route 53 hosted zone ids are 22 random characters; AWS's start with `Z`, which the
portal's input rules expect. New ids are made AWS-shaped.

The portal never calls this; it reaches AWS through the SDK only.
"""

from __future__ import annotations

import json
import threading

from moto.cloudformation.models import cloudformation_backends
from moto.servicequotas.models import ServiceQuotasBackend
from moto.ses.models import SESBackend

PATH = "/_fastish/state"
STACK_STATUSES = {
    "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_FAILED", "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED",
    "DELETE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED",
    "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE",
}
SES_STATUSES = {"Pending", "Success", "Failed", "TemporaryFailure", "NotStarted"}

_lock = threading.Lock()
_ses: dict[tuple[str, str], str] = {}
_quotas: dict[tuple[str, str, str, str], float] = {}
_installed = False


class Refused(Exception):
    pass


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True

    original_ses = SESBackend.get_identity_verification_attributes

    def identity_attributes(self, identities=None):
        result = original_ses(self, identities)
        for identity in identities or []:
            status = _ses.get((self.account_id, identity))
            if status is not None:
                result[identity] = {"VerificationStatus": status}
        return result

    SESBackend.get_identity_verification_attributes = identity_attributes

    original_quota = ServiceQuotasBackend.get_service_quota

    def service_quota(self, service_code, quota_code):
        value = _quotas.get((self.account_id, self.region_name, service_code, quota_code))
        if value is None:
            return original_quota(self, service_code, quota_code)
        return {
            "ServiceCode": service_code,
            "QuotaCode": quota_code,
            "QuotaArn": f"arn:aws:servicequotas:{self.region_name}:{self.account_id}:{service_code}/{quota_code}",
            "Value": float(value),
            "Unit": "None",
            "Adjustable": True,
            "GlobalQuota": False,
        }

    ServiceQuotasBackend.get_service_quota = service_quota

    import moto.route53.models as route53_models

    original_zone_id = route53_models.create_route53_zone_id

    def zone_id(*args, **kwargs):
        return "Z" + original_zone_id(*args, **kwargs)[1:]

    route53_models.create_route53_zone_id = zone_id


def _text(spec: dict, key: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(f"{key} must be a non-empty string")
    return value


def apply(body: dict) -> dict:
    if "ses" in body:
        spec = body["ses"]
        status = _text(spec, "status")
        if status not in SES_STATUSES:
            raise Refused(f"status must be one of {sorted(SES_STATUSES)}")
        with _lock:
            _ses[(_text(spec, "account"), _text(spec, "identity"))] = status
        return {"ses": spec}
    if "stack" in body:
        spec = body["stack"]
        status = _text(spec, "status")
        if status not in STACK_STATUSES:
            raise Refused(f"status must be one of {sorted(STACK_STATUSES)}")
        backend = cloudformation_backends[_text(spec, "account")][_text(spec, "region")]
        name = _text(spec, "name")
        stacks = [s for s in backend.stacks.values() if s.name == name]
        if not stacks:
            raise Refused(f"no stack {name}: create it first")
        stacks[0].status = status
        return {"stack": spec}
    if "quota" in body:
        spec = body["quota"]
        value = spec.get("value")
        if not isinstance(value, (int, float)) or value < 0:
            raise Refused("value must be a non-negative number")
        key = (_text(spec, "account"), _text(spec, "region"), _text(spec, "service"), _text(spec, "code"))
        with _lock:
            _quotas[key] = float(value)
        return {"quota": spec}
    raise Refused("send one of ses, stack, quota")


class States:
    """WSGI middleware serving POST /_fastish/state."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH:
            return self.app(environ, start_response)
        try:
            if environ.get("REQUEST_METHOD") != "POST":
                raise Refused("POST a JSON object")
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(body, dict):
                raise Refused("POST a JSON object")
            answer = apply(body)
        except (Refused, ValueError, KeyError, json.JSONDecodeError) as e:
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [json.dumps({"error": str(e)}).encode()]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(answer).encode()]
