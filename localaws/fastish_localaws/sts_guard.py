"""Installs trust-policy evaluation into moto's STS AssumeRole handler.

Plain moto hands out credentials for any role ARN. The wrapper sits on the request handler,
where the caller's access key is known, and refuses the call as AWS would before moto's own
handler runs: the role must exist in the IAM of the account named in its ARN, its trust policy
must allow the caller (see trust.py), and DurationSeconds must be within 900..MaxSessionDuration.
"""

from __future__ import annotations

import re

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.iam.models import iam_backends
from moto.sts.responses import TokenResponse

from .trust import Caller, evaluate

ROLE_ARN = re.compile(r"^arn:([^:]+):iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$")
_installed = False


class AccessDenied(ServiceException):
    code = "AccessDenied"


class ValidationError(ServiceException):
    code = "ValidationError"


def _find_role(role_arn: str):
    m = ROLE_ARN.match(role_arn or "")
    if not m:
        return None
    partition, account = m.group(1), m.group(2)
    if account not in iam_backends:
        return None
    backend = iam_backends[account].get(partition)
    if backend is None:
        return None
    for role in backend.get_roles():
        if role.arn == role_arn:
            return role
    return None


def check_assume_role(response: TokenResponse) -> None:
    role_arn = response._get_param("RoleArn")
    external_id = response._get_param("ExternalId")
    duration = response._get_int_param("DurationSeconds", 3600)
    _, identity_arn, account = response.backend.get_caller_identity(
        response.get_access_key(), response.region
    )
    caller = Caller.from_identity_arn(identity_arn, account)
    denied = AccessDenied(
        f"User: {identity_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    )
    role = _find_role(role_arn)
    if role is None:
        raise denied
    if not evaluate(role.assume_role_policy_document, caller, external_id).allowed:
        raise denied
    max_duration = int(role.max_session_duration or 3600)
    if duration < 900 or duration > max_duration:
        raise ValidationError(
            f"The requested DurationSeconds exceeds the MaxSessionDuration set for this role "
            f"or is below 900 (requested {duration}, allowed 900..{max_duration})."
        )


def install() -> None:
    """Idempotent: wraps TokenResponse.assume_role once per process."""
    global _installed
    if _installed:
        return
    original = TokenResponse.assume_role

    def guarded_assume_role(self: TokenResponse):
        try:
            check_assume_role(self)
        except AccessDenied as denied:
            # moto's STS model has no AccessDenied shape, so its serializer would answer 400;
            # AWS answers 403 with the query-protocol <ErrorResponse><Error> body.
            _, headers, body = self.serialized(ActionResult(denied))
            headers["status"] = 403
            return body, headers
        return original(self)

    TokenResponse.assume_role = guarded_assume_role
    _installed = True
