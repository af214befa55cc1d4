//! Launch: the release is handed to the deployment pipeline the way the platform does it, as a
//! `ReleaseLaunchRequested` event on the configured EventBridge bus (source `fastish.portal`).
//! The event names the release; it never carries the API key or credentials.

use serde::Serialize;

pub const SOURCE: &str = "fastish.portal";
pub const DETAIL_TYPE: &str = "ReleaseLaunchRequested";

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchRequested {
    pub subscriber_id: String,
    pub release_id: String,
    pub release_name: String,
    pub release_type: String,
    pub synthesizer_id: String,
    pub account: String,
    pub region: String,
    pub organization: String,
    pub environment: String,
    pub version: String,
    pub stack_name: String,
}

pub struct Launcher {
    client: aws_sdk_eventbridge::Client,
    bus: String,
}

impl Launcher {
    pub fn new(sdk: &aws_config::SdkConfig, bus: String) -> Self {
        Self {
            client: aws_sdk_eventbridge::Client::new(sdk),
            bus,
        }
    }

    /// Publishes the event; `Err` carries the detail for the log.
    pub async fn publish(&self, event: &LaunchRequested) -> Result<(), String> {
        let detail = serde_json::to_string(event).map_err(|e| e.to_string())?;
        let entry = aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
            .source(SOURCE)
            .detail_type(DETAIL_TYPE)
            .event_bus_name(&self.bus)
            .detail(detail)
            .build();
        let out = self
            .client
            .put_events()
            .entries(entry)
            .send()
            .await
            .map_err(|e| {
                crate::verification::aws_error::AwsFailure::of(&e)
                    .sentence("Amazon EventBridge", "the platform's region")
            })?;
        if out.failed_entry_count() > 0 {
            let why = out
                .entries()
                .iter()
                .filter_map(|e| e.error_code())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(format!("EventBridge refused the event: {why}"));
        }
        Ok(())
    }
}
