"""Evaluates an IAM role trust policy for sts:AssumeRole the way AWS does, for the subset of the
policy language that CDK bootstrap and Fastish trust policies use.

Anything this module does not understand (an unknown condition key or operator, NotPrincipal,
NotAction) makes the statement not match: an emulator that fails closed cannot make an insecure
portal look secure.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from urllib.parse import unquote

ASSUME_ROLE = "sts:assumerole"
KNOWN_KEYS = {"sts:externalid", "aws:principalaccount", "aws:principalarn"}
STRING_OPERATORS = {
    "stringequals",
    "stringnotequals",
    "stringequalsignorecase",
    "stringnotequalsignorecase",
    "stringlike",
    "stringnotlike",
    "arnequals",
    "arnlike",
    "arnnotequals",
    "arnnotlike",
}


@dataclass(frozen=True)
class Caller:
    """Who is calling AssumeRole: the account and the principal ARN as IAM matches it
    (for an assumed-role session, the role's ARN, not the session's)."""

    account: str
    arn: str

    @staticmethod
    def from_identity_arn(arn: str, account: str) -> "Caller":
        m = re.match(r"^arn:([^:]+):sts::(\d{12}):assumed-role/([^/]+)/.+$", arn)
        if m:
            return Caller(account=account, arn=f"arn:{m.group(1)}:iam::{m.group(2)}:role/{m.group(3)}")
        return Caller(account=account, arn=arn)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def parse_policy(document: str | dict) -> dict:
    """IAM hands trust policies around URL-encoded in some places; accept both forms."""
    if isinstance(document, dict):
        return document
    text = document.strip()
    if not text.startswith("{"):
        text = unquote(text)
    return json.loads(text)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _action_matches(statement: dict) -> bool:
    if "NotAction" in statement:
        return False
    for action in _as_list(statement.get("Action")):
        if fnmatch.fnmatchcase(ASSUME_ROLE, str(action).lower()):
            return True
    return False


def _principal_matches(statement: dict, caller: Caller) -> bool:
    if "NotPrincipal" in statement:
        return False
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for value in _as_list(principal.get("AWS")):
        value = str(value)
        if value == "*":
            return True
        if re.fullmatch(r"\d{12}", value) and value == caller.account:
            return True
        m = re.fullmatch(r"arn:[^:]+:iam::(\d{12}):root", value)
        if m and m.group(1) == caller.account:
            return True
        if value == caller.arn:
            return True
    return False


def _string_test(operator: str, actual: str, expected: str) -> bool:
    if operator in ("stringequals", "stringnotequals", "arnequals", "arnnotequals"):
        return actual == expected
    if operator in ("stringequalsignorecase", "stringnotequalsignorecase"):
        return actual.lower() == expected.lower()
    # StringLike/ArnLike: * and ? wildcards, case-sensitive.
    return fnmatch.fnmatchcase(actual, expected)


def _condition_holds(raw_operator: str, key: str, expected, context: dict) -> bool | None:
    """True/False for a condition AWS would evaluate; None for one this evaluator does not know."""
    operator = raw_operator.lower()
    qualifier = None
    for prefix in ("foranyvalue:", "forallvalues:"):
        if operator.startswith(prefix):
            qualifier = prefix[:-1]
            operator = operator[len(prefix):]
    if_exists = operator.endswith("ifexists")
    if if_exists:
        operator = operator[: -len("ifexists")]
    key = key.lower()
    if key not in KNOWN_KEYS:
        return None
    present = context.get(key) is not None
    expected_values = [str(v) for v in _as_list(expected)]

    if operator == "null":
        if qualifier or if_exists or len(expected_values) != 1:
            return None
        wants_absent = expected_values[0].lower() == "true"
        return (not present) if wants_absent else present

    if operator not in STRING_OPERATORS:
        return None
    negated = "not" in operator
    if not present:
        if if_exists or qualifier == "forallvalues":
            return True
        # AWS: a negated operator on an absent key matches; a positive one does not.
        return negated and qualifier is None
    actual = str(context[key])
    matched = any(_string_test(operator, actual, e) for e in expected_values)
    return (not matched) if negated else matched


def _conditions_hold(statement: dict, context: dict) -> bool | None:
    conditions = statement.get("Condition") or {}
    if not isinstance(conditions, dict):
        return None
    for operator, block in conditions.items():
        if not isinstance(block, dict):
            return None
        for key, expected in block.items():
            held = _condition_holds(operator, key, expected, context)
            if held is None or not held:
                return held
    return True


def evaluate(document: str | dict, caller: Caller, external_id: str | None) -> Decision:
    """Would AWS let `caller` assume a role with this trust policy, passing `external_id`?"""
    try:
        policy = parse_policy(document)
    except (ValueError, TypeError):
        return Decision(False, "the trust policy is not valid JSON")
    context = {
        "sts:externalid": external_id,
        "aws:principalaccount": caller.account,
        "aws:principalarn": caller.arn,
    }
    allowed = False
    for statement in _as_list(policy.get("Statement")):
        if not isinstance(statement, dict):
            continue
        if not (_action_matches(statement) and _principal_matches(statement, caller)):
            continue
        held = _conditions_hold(statement, context)
        effect = str(statement.get("Effect", "")).lower()
        if effect == "deny" and held is not False:
            # An unknown condition on a Deny is treated as matching: fail closed.
            return Decision(False, "an explicit Deny statement matches")
        if effect == "allow" and held is True:
            allowed = True
    if allowed:
        return Decision(True, "an Allow statement matches")
    return Decision(False, "no Allow statement in the trust policy matches the caller and its conditions")
