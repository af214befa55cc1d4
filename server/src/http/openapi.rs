//! `GET /api/openapi.json`: the JSON API of api.md as an OpenAPI 3.1 document, written by hand
//! next to the routes it describes (`http::api_routes`).

use axum::Json;
use serde_json::{json, Value};

fn error_responses(codes: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for code in codes {
        let description = match *code {
            "400" => "Bad input; `fields` names each field that needs attention",
            "401" => "Not signed in",
            "403" => "Signed in but not allowed (including reauthentication required)",
            "404" => "Not found, or not yours",
            "409" => "Conflict",
            "413" => "Body over 64 KiB",
            "429" => "Rate-limited (Retry-After)",
            _ => "Unavailable; try again",
        };
        out.insert(
            (*code).to_owned(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    Value::Object(out)
}

fn op(summary: &str, body: Option<&str>, ok: (&str, Option<&str>), errors: &[&str]) -> Value {
    let mut responses = error_responses(errors);
    let ok_body = match ok.1 {
        Some(schema) if schema.starts_with('[') => {
            json!({"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": format!("#/components/schemas/{}", schema.trim_matches(|c| c == '[' || c == ']'))}}}}})
        }
        Some(schema) => {
            json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
        }
        None => json!({}),
    };
    let mut ok_response = json!({"description": "OK"});
    if let (Value::Object(r), Value::Object(b)) = (&mut ok_response, ok_body) {
        r.extend(b);
    }
    responses[ok.0] = ok_response;
    let mut o = json!({"summary": summary, "responses": responses});
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    o
}

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
}

pub fn document() -> Value {
    let signed_in = ["401", "503"];
    let owned = ["401", "404", "503"];
    let string = json!({"type": "string"});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Fastish Portal API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Session cookie (HttpOnly, SameSite=Strict) for /api routes; X-Api-Key plus a Cognito access token for /v1/subscriber/{subscriberId}/... Errors are {\"error\", \"fields\"?}."},
        "paths": {
            "/api/platform": {"get": op("The platform account, the principal handshake roles must trust, and the public Cognito ids", None, ("200", Some("Platform")), &["503"])},
            "/api/auth/signup": {"post": op("Create an account", Some("Credentials"), ("201", None), &["400", "409", "413", "503"])},
            "/api/auth/login": {"post": op("Sign in: {\"status\": \"signed_in\" | \"mfa_required\"}", Some("Credentials"), ("200", None), &["400", "401", "429", "503"])},
            "/api/auth/mfa": {"post": op("Answer the TOTP challenge", Some("Code"), ("200", None), &["400", "401", "429"])},
            "/api/auth/logout": {"post": op("Sign out (revokes the Cognito tokens)", None, ("204", None), &signed_in)},
            "/api/auth/reauth": {"post": op("Confirm the password (and code): opens a 5-minute window", Some("Reauth"), ("204", None), &["400", "401", "429"])},
            "/api/auth/mfa/setup": {"post": op("Start TOTP enrolment: {secret, otpauthUri}", None, ("200", None), &signed_in)},
            "/api/auth/mfa/enable": {"post": op("Finish TOTP enrolment", Some("Code"), ("204", None), &["400", "401"])},
            "/v1/api/subscriber/summary": {"get": op("The signed-in subscriber's summary", None, ("200", Some("Summary")), &signed_in)},
            "/api/subscriber/apikey": {"get": op("Reveal the API key (reauthentication window; no-store)", None, ("200", None), &["401", "403"])},
            "/api/subscriber/apikey/rotate": {"post": op("Rotate the API key (reauthentication window)", None, ("200", None), &["401", "403", "503"])},
            "/api/subscriber/trust-policy": {"get": {
                "summary": "The trust policy the handshake role needs (reauthentication window; contains the key)",
                "parameters": [{"name": "synthesizer", "in": "query", "required": false, "schema": string}],
                "responses": error_responses(&["401", "403", "404"])}},
            "/v1/subscriber/{subscriberId}/summary": {"get": {
                "summary": "The backend API: X-Api-Key and Authorization: Bearer <access token> of the same subscriber",
                "parameters": [{"name": "subscriberId", "in": "path", "required": true, "schema": string},
                               {"name": "X-Api-Key", "in": "header", "required": true, "schema": string}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Summary"}}}}, "401": {"description": "Refused"}}}},
            "/api/subscriber/synthesizer": {
                "get": op("Your synthesizers", None, ("200", Some("[Synthesizer]")), &signed_in),
                "post": op("Create a synthesizer", Some("SynthesizerInput"), ("201", Some("Synthesizer")), &["400", "401", "409", "413", "503"])},
            "/api/subscriber/synthesizer/import": {"post": op("Create a synthesizer from CDKToolkit stack outputs or the Fastish bootstrap output", Some("Import"), ("201", Some("Synthesizer")), &["400", "401", "409", "413"])},
            "/api/subscriber/synthesizer/{id}": {
                "parameters": id_param(),
                "get": op("One synthesizer", None, ("200", Some("Synthesizer")), &owned),
                "put": op("Replace its configuration (clears the verification)", Some("SynthesizerInput"), ("200", Some("Synthesizer")), &["400", "401", "404", "409"]),
                "delete": op("Delete it and its reports (reauthentication when MFA is on)", None, ("204", None), &["401", "403", "404"])},
            "/api/subscriber/synthesizer/{id}/verify": {"parameters": id_param(), "post": op("Verify Configuration: the six checks", None, ("200", Some("VerificationReport")), &owned)},
            "/api/subscriber/synthesizer/{id}/verifications": {"parameters": id_param(), "get": op("Past reports, newest first", None, ("200", Some("[VerificationRecord]")), &owned)},
            "/healthz": {"get": {"summary": "The process serves", "responses": {"200": {"description": "OK"}}}},
            "/readyz": {"get": {"summary": "The store and Cognito's key set answer", "responses": {"200": {"description": "Ready"}, "503": {"description": "Not ready"}}}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": string, "fields": {"type": "object", "additionalProperties": string}}},
            "Credentials": {"type": "object", "required": ["email", "password"], "properties": {"email": string, "password": string}},
            "Code": {"type": "object", "required": ["code"], "properties": {"code": string}},
            "Reauth": {"type": "object", "required": ["password"], "properties": {"password": string, "code": string}},
            "Platform": {"type": "object", "properties": {"account": string, "principal": string, "region": string,
                "cognito": {"type": "object", "properties": {"region": string, "userPoolId": string, "clientId": string}}}},
            "Summary": {"type": "object", "properties": {"subscriberId": string, "email": string, "subscription": string,
                "synthesizers": {"type": "object", "properties": {"total": {"type": "integer"}, "verified": {"type": "integer"}}},
                "releases": {"type": "object", "properties": {"total": {"type": "integer"}, "readyToDeploy": {"type": "integer"}}}}},
            "SynthesizerInput": {"type": "object", "required": ["name", "account", "region"], "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,62}$"},
                "account": {"type": "string", "pattern": "^[0-9]{12}$"},
                "region": string,
                "cdk": {"type": "object", "properties": {
                    "version": string,
                    "kms": {"type": "object", "properties": {"key": string, "alias": string}},
                    "ssm": {"type": "object", "properties": {"parameter": string}},
                    "role": {"type": "object", "properties": {"handshake": string, "exec": string, "deploy": string, "lookup": string, "filePublish": string, "imagePublish": string}},
                    "storage": {"type": "object", "properties": {"assetsBucket": string, "imagesRepo": string}}}}}},
            "Synthesizer": {"allOf": [{"$ref": "#/components/schemas/SynthesizerInput"}, {"type": "object", "properties": {
                "id": string, "verified": {"type": "boolean"}, "verifiedAt": {"type": ["string", "null"]},
                "lastReportValid": {"type": ["boolean", "null"]}, "keyFingerprint": {"type": ["string", "null"]},
                "needsVerification": {"type": "boolean"}, "createdAt": string, "updatedAt": string}}]},
            "Import": {"type": "object", "required": ["name", "outputs"], "properties": {"name": string, "outputs": {}, "account": string, "region": string}},
            "Check": {"type": "object", "required": ["check", "status", "message"], "properties": {
                "check": string, "status": {"enum": ["passed", "warning", "failed", "skipped"]}, "message": string, "details": {}, "action": string}},
            "VerificationReport": {"type": "object", "properties": {"synthesizerId": string, "valid": {"type": "boolean"},
                "checks": {"type": "array", "items": {"$ref": "#/components/schemas/Check"}}, "verifiedAt": string}},
            "VerificationRecord": {"allOf": [{"$ref": "#/components/schemas/VerificationReport"}, {"type": "object", "properties": {"verifiedBy": string}}]}
        }}
    })
}

pub async fn openapi() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_reference_resolves() {
        let doc = super::document();
        let text = doc.to_string();
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(doc["components"]["schemas"].get(name).is_some(), "{name}");
        }
    }
}
