//! `SynthesizerService`: the one service behind the synthesizer pages, their server functions
//! and the JSON routes. Everything is scoped by the signed-in owner: another subscriber's
//! synthesizer is "not found", exactly like one that does not exist.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc;

use app::contract::{
    CheckStatus, Counts, Synthesizer, SynthesizerFields, VerificationEvent, VerificationRecord,
    VerificationReport,
};

use super::import::{synthesizer_json, ImportError};
use super::model::{StoredReport, SynthesizerRecord, VerificationState};
use super::rules::{self, FieldErrors};
use crate::identity::api_key::fingerprint_of_hash;
use crate::identity::model::Subscriber;
use crate::identity::{Authenticated, Identity, IdentityError};
use crate::platform::PlatformIdentity;
use crate::store::{SharedStore, StoreError};
use crate::time::rfc3339;
use crate::verification::{RunInput, SynthesizerVerifier};

/// How many reports the history shows.
pub const HISTORY_LIMIT: u32 = 50;

#[derive(Debug, thiserror::Error)]
pub enum SynthesizerError {
    #[error("{message}")]
    Invalid {
        message: String,
        fields: FieldErrors,
    },
    #[error("Not found.")]
    NotFound,
    #[error("You already have a synthesizer named {0:?}. Choose another name.")]
    NameTaken(String),
    #[error(
        "Releases still deploy to this synthesizer: delete them or point them elsewhere first."
    )]
    InUse,
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error("The portal's store is unavailable right now. Try again in a minute.")]
    Unavailable,
}

fn invalid(fields: FieldErrors) -> SynthesizerError {
    SynthesizerError::Invalid {
        message: "Some fields need attention.".into(),
        fields,
    }
}

fn store_failed(context: &'static str) -> impl Fn(StoreError) -> SynthesizerError {
    move |e| match e {
        StoreError::NotFound(_) => SynthesizerError::NotFound,
        e => {
            tracing::error!(error = %e, "{context}");
            SynthesizerError::Unavailable
        }
    }
}

fn new_id() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    format!("syn_{}", hex::encode(bytes))
}

pub struct SynthesizerService {
    store: SharedStore,
    identity: Arc<Identity>,
    platform: Arc<PlatformIdentity>,
    verifier: SynthesizerVerifier,
}

impl SynthesizerService {
    pub fn new(
        store: SharedStore,
        identity: Arc<Identity>,
        platform: Arc<PlatformIdentity>,
        verifier: SynthesizerVerifier,
    ) -> Self {
        Self {
            store,
            identity,
            platform,
            verifier,
        }
    }

    /// The API shape, with `verified` judged against the subscriber's current key generation.
    pub fn view(record: &SynthesizerRecord, current_generation: u32) -> Synthesizer {
        let v = record.verification.as_ref();
        let stale = v.is_some_and(|v| v.key_generation < current_generation);
        Synthesizer {
            id: record.id.clone(),
            fields: record.fields.clone(),
            verified: v.is_some_and(|v| v.valid) && !stale,
            verified_at: v.map(|v| rfc3339(v.at)),
            last_report_valid: v.map(|v| v.valid),
            key_fingerprint: v.map(|v| v.key_fingerprint.clone()),
            needs_verification: stale,
            created_at: rfc3339(record.created_at),
            updated_at: rfc3339(record.updated_at),
        }
    }

    async fn record_of(
        &self,
        auth: &Authenticated,
        id: &str,
    ) -> Result<SynthesizerRecord, SynthesizerError> {
        self.store
            .synthesizer(&auth.subscriber.id, id)
            .await
            .map_err(store_failed("reading a synthesizer failed"))?
            .ok_or(SynthesizerError::NotFound)
    }

    pub async fn list(&self, auth: &Authenticated) -> Result<Vec<Synthesizer>, SynthesizerError> {
        self.list_of(&auth.subscriber).await
    }

    async fn list_of(&self, subscriber: &Subscriber) -> Result<Vec<Synthesizer>, SynthesizerError> {
        let g = subscriber.key_generation;
        Ok(self
            .store
            .synthesizers_of(&subscriber.id)
            .await
            .map_err(store_failed("listing synthesizers failed"))?
            .iter()
            .map(|r| Self::view(r, g))
            .collect())
    }

    pub async fn counts(&self, subscriber: &Subscriber) -> Result<Counts, SynthesizerError> {
        let all = self.list_of(subscriber).await?;
        Ok(Counts {
            total: all.len() as u32,
            verified: all.iter().filter(|s| s.verified).count() as u32,
        })
    }

    pub async fn get(
        &self,
        auth: &Authenticated,
        id: &str,
    ) -> Result<Synthesizer, SynthesizerError> {
        let r = self.record_of(auth, id).await?;
        Ok(Self::view(&r, auth.subscriber.key_generation))
    }

    pub async fn create(
        &self,
        auth: &Authenticated,
        input: &Value,
    ) -> Result<Synthesizer, SynthesizerError> {
        let fields = rules::parse(input).map_err(invalid)?;
        self.insert(auth, fields).await
    }

    async fn insert(
        &self,
        auth: &Authenticated,
        fields: SynthesizerFields,
    ) -> Result<Synthesizer, SynthesizerError> {
        let now = crate::identity::service::now();
        let record = SynthesizerRecord {
            id: new_id(),
            subscriber_id: auth.subscriber.id.clone(),
            fields,
            created_at: now,
            updated_at: now,
            verification: None,
        };
        let name = record.fields.name.clone();
        self.store
            .insert_synthesizer(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => SynthesizerError::NameTaken(name),
                e => store_failed("storing a synthesizer failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "synthesizer.created", &record.id)
            .await;
        Ok(Self::view(&record, auth.subscriber.key_generation))
    }

    /// `{"name", "outputs", "account"?, "region"?}`: the outputs fill what they can; `account`
    /// and `region` fill what they cannot (an Outputs array alone may not say).
    pub async fn import(
        &self,
        auth: &Authenticated,
        input: &Value,
    ) -> Result<Synthesizer, SynthesizerError> {
        let outputs =
            match input.get("outputs") {
                None | Some(Value::Null) => return Err(invalid(BTreeMap::from([(
                    "outputs".to_owned(),
                    "Required: paste the CDKToolkit stack outputs or the Fastish bootstrap output."
                        .to_owned(),
                )]))),
                // Pasted into a form: the text of the JSON.
                Some(Value::String(text)) => serde_json::from_str::<Value>(text).map_err(|e| {
                    invalid(BTreeMap::from([(
                        "outputs".to_owned(),
                        format!("This is not JSON ({e}). {}", ImportError::UnknownShape),
                    )]))
                })?,
                Some(v) => v.clone(),
            };
        let mut json = synthesizer_json(&outputs)
            .map_err(|e| invalid(BTreeMap::from([("outputs".to_owned(), e.to_string())])))?;
        json["name"] = input.get("name").cloned().unwrap_or(Value::Null);
        for key in ["account", "region"] {
            let given = input
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.trim().is_empty());
            if let Some(v) = given {
                json[key] = Value::String(v.to_owned());
            }
        }
        let fields = rules::parse(&json).map_err(invalid)?;
        self.insert(auth, fields).await
    }

    pub async fn update(
        &self,
        auth: &Authenticated,
        id: &str,
        input: &Value,
    ) -> Result<Synthesizer, SynthesizerError> {
        let existing = self.record_of(auth, id).await?;
        let fields = rules::parse(input).map_err(invalid)?;
        if fields == existing.fields {
            return Ok(Self::view(&existing, auth.subscriber.key_generation));
        }
        let name = fields.name.clone();
        self.store
            .update_synthesizer(
                &auth.subscriber.id,
                id,
                fields,
                crate::identity::service::now(),
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => SynthesizerError::NameTaken(name),
                e => store_failed("updating a synthesizer failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "synthesizer.updated", id)
            .await;
        self.get(auth, id).await
    }

    /// An admin action: with MFA enrolled it needs a reauthentication from the last 5 minutes.
    pub async fn delete(&self, auth: &Authenticated, id: &str) -> Result<(), SynthesizerError> {
        self.record_of(auth, id).await?;
        if auth.subscriber.mfa_enabled {
            Identity::require_recent_reauth(auth)?;
        }
        self.store
            .delete_synthesizer(&auth.subscriber.id, id)
            .await
            .map_err(|e| match e {
                StoreError::InUse(_) => SynthesizerError::InUse,
                e => store_failed("deleting a synthesizer failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "synthesizer.deleted", id)
            .await;
        Ok(())
    }

    pub async fn history(
        &self,
        auth: &Authenticated,
        id: &str,
    ) -> Result<Vec<VerificationRecord>, SynthesizerError> {
        self.record_of(auth, id).await?;
        Ok(self
            .store
            .synthesizer_reports(&auth.subscriber.id, id, HISTORY_LIMIT)
            .await
            .map_err(store_failed("reading verification reports failed"))?
            .into_iter()
            .map(|r| VerificationRecord {
                report: VerificationReport {
                    synthesizer_id: r.synthesizer_id,
                    valid: r.valid,
                    checks: r.checks,
                    verified_at: rfc3339(r.at),
                },
                verified_by: r.actor,
            })
            .collect())
    }

    /// Starts a verification in its own task and returns its events; the last one is
    /// `Finished` (the stored report) or `Failed`. The task runs to the end (and stores the
    /// report) even when nobody listens any more.
    pub fn start_verification(
        self: &Arc<Self>,
        auth: Authenticated,
        id: String,
    ) -> mpsc::UnboundedReceiver<VerificationEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        let this = self.clone();
        tokio::spawn(async move {
            let event = match this.run_verification(&auth, &id, Some(&tx)).await {
                Ok(report) => VerificationEvent::Finished { report },
                Err(e) => VerificationEvent::Failed {
                    error: e.to_string(),
                },
            };
            let _ = tx.send(event);
        });
        rx
    }

    /// Verifies and waits for the report (the JSON route and the no-JS form). The work runs in
    /// its own task, so a client that hangs up does not lose the report.
    pub async fn verify(
        self: &Arc<Self>,
        auth: &Authenticated,
        id: &str,
    ) -> Result<VerificationReport, SynthesizerError> {
        // Not-found is answered before anything is spawned.
        self.record_of(auth, id).await?;
        let this = self.clone();
        let (auth, id) = (auth.clone(), id.to_owned());
        tokio::spawn(async move { this.run_verification(&auth, &id, None).await })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "the verification task failed");
                SynthesizerError::Unavailable
            })?
    }

    async fn run_verification(
        &self,
        auth: &Authenticated,
        id: &str,
        events: Option<&mpsc::UnboundedSender<VerificationEvent>>,
    ) -> Result<VerificationReport, SynthesizerError> {
        let record = self.record_of(auth, id).await?;
        let key = self.identity.current_key(auth).await?;
        let principal = self
            .platform
            .info()
            .await
            .map(|p| p.principal)
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "platform identity unavailable; actions name a placeholder");
                "<the Fastish platform principal>".into()
            });
        let now = crate::identity::service::now();
        let started = std::time::Instant::now();
        let checks = self
            .verifier
            .run(
                RunInput {
                    fields: &record.fields,
                    key: &key,
                    principal: &principal,
                    saved_seconds_ago: (now - record.updated_at).max(0) as u64,
                },
                events,
            )
            .await;
        drop(key);
        let valid = !checks.iter().any(|c| c.status == CheckStatus::Failed);
        let at = crate::identity::service::now();
        let state = VerificationState {
            valid,
            at,
            key_generation: auth.subscriber.key_generation,
            key_fingerprint: fingerprint_of_hash(&auth.subscriber.key_hash),
        };
        self.store
            .record_synthesizer_report(StoredReport {
                synthesizer_id: id.to_owned(),
                subscriber_id: auth.subscriber.id.clone(),
                actor: auth.subscriber.email.clone(),
                at,
                valid,
                checks: checks.clone(),
                key_generation: state.key_generation,
                key_fingerprint: state.key_fingerprint.clone(),
            })
            .await
            .map_err(store_failed("storing a verification report failed"))?;
        self.identity
            .record(
                &auth.subscriber.id,
                if valid {
                    "synthesizer.verified.valid"
                } else {
                    "synthesizer.verified.invalid"
                },
                id,
            )
            .await;
        tracing::info!(
            synthesizer = %id,
            valid,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "synthesizer verified"
        );
        Ok(VerificationReport {
            synthesizer_id: id.to_owned(),
            valid,
            checks,
            verified_at: rfc3339(at),
        })
    }
}
