"""Makes moto's Cognito honour an app client's read attributes, as Cognito does.

moto 5.2.5 copies every `custom:` attribute into ID tokens and returns every attribute from
GetUser, whatever the app client may read. The portal's app client may not read `custom:apikey`;
with stock moto the key would reach every ID token and a browser holding an access token.
"""

from __future__ import annotations

from moto.cognitoidp.models import CognitoIdpUserPool, cognitoidp_backends
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult

_installed = False


def readable(pool: CognitoIdpUserPool, client_id: str) -> set[str] | None:
    """The attributes the client may read, or None when it names none (then Cognito allows all)."""
    client = pool.clients.get(client_id)
    fields = client.get_readable_fields() if client else []
    return set(fields) if fields else None


def create_id_token(self: CognitoIdpUserPool, client_id: str, username: str, origin_jti: str):
    allowed = readable(self, client_id)
    extra = self.get_user_extra_data_by_client_id(client_id, username)
    extra["origin_jti"] = origin_jti
    user = self._get_user(username)
    for attr in user.attributes:
        name = attr["Name"]
        if name.startswith("custom:") and (allowed is None or name in allowed):
            extra[name] = attr["Value"]
    if user.groups:
        extra["cognito:groups"] = [group.group_name for group in user.groups]
    token, expires_in = self.create_jwt(client_id, username, "id", extra_data=extra)
    self.id_tokens[token] = (client_id, username)
    return token, expires_in


def get_user(self: CognitoIdpResponse) -> ActionResult:
    access_token = self._get_param("AccessToken")
    user = self._get_region_agnostic_backend().get_user(access_token=access_token)
    body = user.to_json(extended=True, attributes_key="UserAttributes")
    for backend in _pools():
        if access_token in backend.access_tokens:
            allowed = readable(backend, backend.access_tokens[access_token][0])
            if allowed is not None:
                body["UserAttributes"] = [
                    a for a in body["UserAttributes"] if a["Name"] in allowed or a["Name"] == "sub"
                ]
            break
    return ActionResult(body)


def _pools():
    for account in cognitoidp_backends.values():
        for backend in account.values():
            yield from backend.user_pools.values()


def install() -> None:
    global _installed
    if _installed:
        return
    CognitoIdpUserPool.create_id_token = create_id_token
    CognitoIdpResponse.get_user = get_user
    _installed = True
