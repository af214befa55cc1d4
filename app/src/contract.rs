//! Types shared by the browser and the server: what crosses the wire, in the JSON shapes of
//! `shared/spec/api.md`. Nothing secret is ever a field of these types.

use serde::{Deserialize, Serialize};

/// `GET /api/platform`: what a subscriber's handshake role must trust, and the public Cognito ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformInfo {
    pub account: String,
    pub principal: String,
    pub region: String,
    pub cognito: CognitoPublic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoPublic {
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
}

/// `GET /v1/api/subscriber/summary`. Never the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberSummary {
    pub subscriber_id: String,
    pub email: String,
    pub subscription: String,
    pub synthesizers: Counts,
    pub releases: ReleaseCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: u32,
    pub verified: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseCounts {
    pub total: u32,
    pub ready_to_deploy: u32,
}

/// Who is signed in, for the header. Nothing secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUser {
    pub email: String,
}

/// The account page: the subscriber's identity facts. The key appears only as a fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountOverview {
    pub email: String,
    pub subscriber_id: String,
    pub subscription: String,
    pub mfa_enabled: bool,
    pub key_fingerprint: String,
    /// RFC 3339.
    pub key_created_at: String,
    /// Seconds left in the reauthentication window (0 when closed).
    pub reauth_seconds_left: i64,
    pub platform_principal: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_info_uses_the_contract_field_names() {
        let info = PlatformInfo {
            account: "123456789012".into(),
            principal: "arn:aws:iam::123456789012:root".into(),
            region: "us-west-2".into(),
            cognito: CognitoPublic {
                region: "us-west-2".into(),
                user_pool_id: "us-west-2_abc".into(),
                client_id: "client".into(),
            },
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["cognito"]["userPoolId"], "us-west-2_abc");
        assert_eq!(json["cognito"]["clientId"], "client");
        assert_eq!(json["principal"], "arn:aws:iam::123456789012:root");
    }
}
