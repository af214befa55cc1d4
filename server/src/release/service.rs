//! `ReleaseService`: organizations, teams and releases (owner-scoped: another subscriber's id is
//! "not found"), Verify Before Launch (one path for the server function, the stream and the JSON
//! route), and Launch.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc;

use app::contract::{
    Organization, Release, ReleaseCounts, ReleaseDetail, ReleaseFields, ReleaseReport,
    ReleaseStatus, ReleaseType, ReleaseVerificationRecord, ReleaseWorkspace, Synthesizer, Team,
    VerificationEvent,
};

use super::launch::{LaunchRequested, Launcher};
use super::model::{OrganizationRecord, StoredRelease, StoredReleaseReport, TeamRecord};
use super::rules;
use crate::identity::model::Subscriber;
use crate::identity::service::now;
use crate::identity::{Authenticated, Identity, IdentityError};
use crate::platform::PlatformIdentity;
use crate::store::{SharedStore, StoreError};
use crate::synthesizer::rules::FieldErrors;
use crate::synthesizer::SynthesizerService;
use crate::time::{parse_rfc3339, rfc3339};
use crate::verification::release_runner::valid;
use crate::verification::{ReleaseTarget, ReleaseVerifier};

/// A valid report lets the release launch for this long.
pub const LAUNCH_WINDOW_SECONDS: i64 = 3600;
pub const HISTORY_LIMIT: u32 = 50;

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{message}")]
    Invalid {
        message: String,
        fields: FieldErrors,
    },
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<&'static str>,
    },
    #[error("{0}")]
    NotLaunchable(String),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error("The portal's store is unavailable right now. Try again in a minute.")]
    Unavailable,
    #[error("The release could not be handed to the deployment pipeline right now. Try again in a minute.")]
    LaunchFailed,
}

fn invalid(fields: FieldErrors) -> ReleaseError {
    ReleaseError::Invalid {
        message: "Some fields need attention.".into(),
        fields,
    }
}

fn field(path: &str, message: &str) -> ReleaseError {
    invalid(BTreeMap::from([(path.to_owned(), message.to_owned())]))
}

fn store_failed(context: &'static str) -> impl Fn(StoreError) -> ReleaseError {
    move |e| match e {
        StoreError::NotFound(_) => ReleaseError::NotFound,
        e => {
            tracing::error!(error = %e, "{context}");
            ReleaseError::Unavailable
        }
    }
}

fn taken(what: &str, name: &str) -> ReleaseError {
    ReleaseError::Conflict {
        message: format!("You already have {what} named {name:?}. Choose another name."),
        field: Some("name"),
    }
}

fn in_use(message: &str) -> ReleaseError {
    ReleaseError::Conflict {
        message: message.to_owned(),
        field: None,
    }
}

fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    format!("{prefix}_{}", hex::encode(bytes))
}

/// The record with this id, or else this name (slugs are unique per owner).
fn find<'a, T>(
    items: &'a [T],
    given: &str,
    id: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    items
        .iter()
        .find(|t| id(t) == given)
        .or_else(|| items.iter().find(|t| name(t) == given))
}

pub struct ReleaseService {
    store: SharedStore,
    identity: Arc<Identity>,
    platform: Arc<PlatformIdentity>,
    synthesizers: Arc<SynthesizerService>,
    verifier: ReleaseVerifier,
    launcher: Launcher,
}

fn org_view(o: &OrganizationRecord) -> Organization {
    Organization {
        id: o.id.clone(),
        name: o.name.clone(),
        tags: o.tags.clone(),
        created_at: rfc3339(o.created_at),
    }
}

fn team_view(t: &TeamRecord) -> Team {
    Team {
        id: t.id.clone(),
        name: t.name.clone(),
        organization: t.organization_id.clone(),
        quotas: t.quotas.clone(),
        resources: t.resources.clone(),
        created_at: rfc3339(t.created_at),
        updated_at: rfc3339(t.updated_at),
    }
}

impl ReleaseService {
    pub fn new(
        store: SharedStore,
        identity: Arc<Identity>,
        platform: Arc<PlatformIdentity>,
        synthesizers: Arc<SynthesizerService>,
        verifier: ReleaseVerifier,
        launcher: Launcher,
    ) -> Self {
        Self {
            store,
            identity,
            platform,
            synthesizers,
            verifier,
            launcher,
        }
    }

    // ---- organizations -------------------------------------------------------------------

    async fn org_records(&self, owner: &str) -> Result<Vec<OrganizationRecord>, ReleaseError> {
        self.store
            .organizations_of(owner)
            .await
            .map_err(store_failed("listing organizations failed"))
    }

    pub async fn organizations(
        &self,
        auth: &Authenticated,
    ) -> Result<Vec<Organization>, ReleaseError> {
        Ok(self
            .org_records(&auth.subscriber.id)
            .await?
            .iter()
            .map(org_view)
            .collect())
    }

    pub async fn organization(
        &self,
        auth: &Authenticated,
        id: &str,
    ) -> Result<Organization, ReleaseError> {
        let all = self.org_records(&auth.subscriber.id).await?;
        all.iter()
            .find(|o| o.id == id)
            .map(org_view)
            .ok_or(ReleaseError::NotFound)
    }

    pub async fn create_organization(
        &self,
        auth: &Authenticated,
        input: &Value,
    ) -> Result<Organization, ReleaseError> {
        let o = rules::organization(input).map_err(invalid)?;
        let record = OrganizationRecord {
            id: new_id("org"),
            subscriber_id: auth.subscriber.id.clone(),
            name: o.name,
            tags: o.tags,
            created_at: now(),
        };
        self.store
            .insert_organization(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken("an organization", &record.name),
                e => store_failed("storing an organization failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "organization.created", &record.id)
            .await;
        Ok(org_view(&record))
    }

    pub async fn update_organization(
        &self,
        auth: &Authenticated,
        id: &str,
        input: &Value,
    ) -> Result<Organization, ReleaseError> {
        let existing = self
            .org_records(&auth.subscriber.id)
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or(ReleaseError::NotFound)?;
        let o = rules::organization(input).map_err(invalid)?;
        let record = OrganizationRecord {
            name: o.name,
            tags: o.tags,
            ..existing
        };
        self.store
            .update_organization(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken("an organization", &record.name),
                e => store_failed("updating an organization failed")(e),
            })?;
        Ok(org_view(&record))
    }

    pub async fn delete_organization(
        &self,
        auth: &Authenticated,
        id: &str,
    ) -> Result<(), ReleaseError> {
        self.organization(auth, id).await?;
        self.store
            .delete_organization(&auth.subscriber.id, id)
            .await
            .map_err(|e| match e {
                StoreError::InUse(_) => {
                    in_use("This organization still has teams or releases: delete them first.")
                }
                e => store_failed("deleting an organization failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "organization.deleted", id)
            .await;
        Ok(())
    }

    // ---- teams ---------------------------------------------------------------------------

    async fn team_records(&self, owner: &str) -> Result<Vec<TeamRecord>, ReleaseError> {
        self.store
            .teams_of(owner)
            .await
            .map_err(store_failed("listing teams failed"))
    }

    pub async fn teams(&self, auth: &Authenticated) -> Result<Vec<Team>, ReleaseError> {
        Ok(self
            .team_records(&auth.subscriber.id)
            .await?
            .iter()
            .map(team_view)
            .collect())
    }

    pub async fn team(&self, auth: &Authenticated, id: &str) -> Result<Team, ReleaseError> {
        self.team_records(&auth.subscriber.id)
            .await?
            .iter()
            .find(|t| t.id == id)
            .map(team_view)
            .ok_or(ReleaseError::NotFound)
    }

    async fn team_record_from(
        &self,
        auth: &Authenticated,
        input: &Value,
        existing: Option<TeamRecord>,
    ) -> Result<TeamRecord, ReleaseError> {
        let t = rules::team(input).map_err(invalid)?;
        let orgs = self.org_records(&auth.subscriber.id).await?;
        let org = find(&orgs, &t.organization, |o| &o.id, |o| &o.name).ok_or_else(|| {
            field(
                "organization",
                "None of your organizations has this id or name.",
            )
        })?;
        let at = now();
        Ok(match existing {
            Some(e) => TeamRecord {
                organization_id: org.id.clone(),
                name: t.name,
                quotas: t.quotas,
                resources: t.resources,
                updated_at: at,
                ..e
            },
            None => TeamRecord {
                id: new_id("team"),
                subscriber_id: auth.subscriber.id.clone(),
                organization_id: org.id.clone(),
                name: t.name,
                quotas: t.quotas,
                resources: t.resources,
                created_at: at,
                updated_at: at,
            },
        })
    }

    pub async fn create_team(
        &self,
        auth: &Authenticated,
        input: &Value,
    ) -> Result<Team, ReleaseError> {
        let record = self.team_record_from(auth, input, None).await?;
        self.store
            .insert_team(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken("a team in this organization", &record.name),
                e => store_failed("storing a team failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "team.created", &record.id)
            .await;
        Ok(team_view(&record))
    }

    pub async fn update_team(
        &self,
        auth: &Authenticated,
        id: &str,
        input: &Value,
    ) -> Result<Team, ReleaseError> {
        let existing = self
            .team_records(&auth.subscriber.id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(ReleaseError::NotFound)?;
        let record = self.team_record_from(auth, input, Some(existing)).await?;
        self.store
            .update_team(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken("a team in this organization", &record.name),
                StoreError::InUse(_) => in_use(
                    "Releases of this team belong to its organization: move or delete them first.",
                ),
                e => store_failed("updating a team failed")(e),
            })?;
        Ok(team_view(&record))
    }

    pub async fn delete_team(&self, auth: &Authenticated, id: &str) -> Result<(), ReleaseError> {
        self.team(auth, id).await?;
        self.store
            .delete_team(&auth.subscriber.id, id)
            .await
            .map_err(|e| match e {
                StoreError::InUse(_) => in_use("This team still has releases: delete them first."),
                e => store_failed("deleting a team failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "team.deleted", id)
            .await;
        Ok(())
    }

    // ---- releases ------------------------------------------------------------------------

    async fn release_records(&self, owner: &str) -> Result<Vec<StoredRelease>, ReleaseError> {
        self.store
            .releases_of(owner)
            .await
            .map_err(store_failed("listing releases failed"))
    }

    async fn latest_report(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<Option<StoredReleaseReport>, ReleaseError> {
        Ok(self
            .store
            .release_reports(owner, id, 1)
            .await
            .map_err(store_failed("reading release reports failed"))?
            .into_iter()
            .next())
    }

    async fn view(
        &self,
        auth: &Authenticated,
        r: &StoredRelease,
        orgs: &[OrganizationRecord],
        synthesizers: &[Synthesizer],
    ) -> Result<Release, ReleaseError> {
        let org = orgs
            .iter()
            .find(|o| o.id == r.fields.organization)
            .map(|o| o.name.as_str())
            .unwrap_or("");
        let latest = self.latest_report(&auth.subscriber.id, &r.id).await?;
        let synthesizer_verified = synthesizers
            .iter()
            .any(|s| s.id == r.fields.synthesizer && s.verified);
        let fresh_valid = latest
            .as_ref()
            .is_some_and(|l| l.valid && now() - l.at < LAUNCH_WINDOW_SECONDS);
        Ok(Release {
            id: r.id.clone(),
            release_type: r.release_type,
            fields: r.fields.clone(),
            status: r.status,
            stack_name: format!("{org}-{}-{}", r.fields.name, r.release_type.as_str()),
            verified_at: latest.as_ref().map(|l| rfc3339(l.at)),
            ready_to_deploy: latest.as_ref().is_some_and(|l| l.valid),
            launchable: fresh_valid && synthesizer_verified && r.status == ReleaseStatus::Validated,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        })
    }

    pub async fn releases(
        &self,
        auth: &Authenticated,
        kind: Option<ReleaseType>,
    ) -> Result<Vec<Release>, ReleaseError> {
        let orgs = self.org_records(&auth.subscriber.id).await?;
        let synthesizers = self.synthesizer_list(auth).await?;
        let mut out = Vec::new();
        for r in self
            .release_records(&auth.subscriber.id)
            .await?
            .iter()
            .filter(|r| kind.is_none_or(|k| r.release_type == k))
        {
            out.push(self.view(auth, r, &orgs, &synthesizers).await?);
        }
        Ok(out)
    }

    pub async fn counts(&self, subscriber: &Subscriber) -> Result<ReleaseCounts, ReleaseError> {
        let all = self.release_records(&subscriber.id).await?;
        let mut ready = 0;
        for r in &all {
            if self
                .latest_report(&subscriber.id, &r.id)
                .await?
                .is_some_and(|l| l.valid)
            {
                ready += 1;
            }
        }
        Ok(ReleaseCounts {
            total: all.len() as u32,
            ready_to_deploy: ready,
        })
    }

    async fn record(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<StoredRelease, ReleaseError> {
        self.release_records(&auth.subscriber.id)
            .await?
            .into_iter()
            .find(|r| r.id == id && r.release_type == kind)
            .ok_or(ReleaseError::NotFound)
    }

    pub async fn release(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<Release, ReleaseError> {
        let r = self.record(auth, kind, id).await?;
        let orgs = self.org_records(&auth.subscriber.id).await?;
        let synthesizers = self.synthesizer_list(auth).await?;
        self.view(auth, &r, &orgs, &synthesizers).await
    }

    /// The subscriber's synthesizers, read once per request (a release's view needs its
    /// synthesizer's `verified`).
    async fn synthesizer_list(
        &self,
        auth: &Authenticated,
    ) -> Result<Vec<Synthesizer>, ReleaseError> {
        self.synthesizers
            .list(auth)
            .await
            .map_err(|_| ReleaseError::Unavailable)
    }

    /// Validates and resolves the references: the team, organization and synthesizer must all
    /// be the subscriber's, and the team must belong to the organization.
    async fn fields_from(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        input: &Value,
    ) -> Result<ReleaseFields, ReleaseError> {
        let r = rules::release(input, kind).map_err(invalid)?;
        let owner = &auth.subscriber.id;
        let orgs = self.org_records(owner).await?;
        let teams = self.team_records(owner).await?;
        let synths = self.synthesizer_list(auth).await?;
        let mut errors = FieldErrors::new();
        let org = find(&orgs, &r.organization, |o| &o.id, |o| &o.name);
        if org.is_none() {
            errors.insert(
                "organization".into(),
                "None of your organizations has this id or name.".into(),
            );
        }
        let team = find(&teams, &r.team, |t| &t.id, |t| &t.name);
        match (team, org) {
            (None, _) => {
                errors.insert(
                    "team".into(),
                    "None of your teams has this id or name.".into(),
                );
            }
            (Some(t), Some(o)) if t.organization_id != o.id => {
                errors.insert(
                    "team".into(),
                    format!(
                        "Team {} belongs to another organization than {}.",
                        t.name, o.name
                    ),
                );
            }
            _ => {}
        }
        let synth = find(&synths, &r.synthesizer, |s| &s.id, |s| &s.fields.name);
        if synth.is_none() {
            errors.insert(
                "synthesizer".into(),
                "None of your synthesizers has this id or name.".into(),
            );
        }
        if !errors.is_empty() {
            return Err(invalid(errors));
        }
        Ok(ReleaseFields {
            name: r.name,
            team: team.map(|t| t.id.clone()).unwrap_or_default(),
            organization: org.map(|o| o.id.clone()).unwrap_or_default(),
            synthesizer: synth.map(|s| s.id.clone()).unwrap_or_default(),
            environment: r.environment,
            version: r.version,
            webapp: r.webapp,
            druid: r.druid,
        })
    }

    pub async fn create_release(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        input: &Value,
    ) -> Result<Release, ReleaseError> {
        let fields = self.fields_from(auth, kind, input).await?;
        let at = now();
        let record = StoredRelease {
            id: new_id("rel"),
            subscriber_id: auth.subscriber.id.clone(),
            release_type: kind,
            fields,
            status: ReleaseStatus::Draft,
            created_at: at,
            updated_at: at,
        };
        self.store
            .insert_release(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken(
                    &format!("a {} release in this organization", kind.as_str()),
                    &record.fields.name,
                ),
                e => store_failed("storing a release failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "release.created", &record.id)
            .await;
        self.release(auth, kind, &record.id).await
    }

    /// Any edit returns the release to `draft`: it must be verified again.
    pub async fn update_release(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
        input: &Value,
    ) -> Result<Release, ReleaseError> {
        let existing = self.record(auth, kind, id).await?;
        let fields = self.fields_from(auth, kind, input).await?;
        if fields == existing.fields {
            return self.release(auth, kind, id).await;
        }
        let record = StoredRelease {
            fields,
            status: ReleaseStatus::Draft,
            updated_at: now(),
            ..existing
        };
        self.store
            .update_release(record.clone())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => taken(
                    &format!("a {} release in this organization", kind.as_str()),
                    &record.fields.name,
                ),
                e => store_failed("updating a release failed")(e),
            })?;
        self.identity
            .record(&auth.subscriber.id, "release.updated", id)
            .await;
        self.release(auth, kind, id).await
    }

    pub async fn delete_release(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<(), ReleaseError> {
        self.record(auth, kind, id).await?;
        self.store
            .delete_release(&auth.subscriber.id, id)
            .await
            .map_err(store_failed("deleting a release failed"))?;
        self.identity
            .record(&auth.subscriber.id, "release.deleted", id)
            .await;
        Ok(())
    }

    pub async fn history(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<Vec<ReleaseVerificationRecord>, ReleaseError> {
        self.record(auth, kind, id).await?;
        Ok(self
            .store
            .release_reports(&auth.subscriber.id, id, HISTORY_LIMIT)
            .await
            .map_err(store_failed("reading release reports failed"))?
            .into_iter()
            .map(|r| ReleaseVerificationRecord {
                report: ReleaseReport {
                    release_id: r.release_id,
                    valid: r.valid,
                    checks: r.checks,
                    verified_at: rfc3339(r.at),
                    ready_to_deploy: r.valid,
                },
                verified_by: r.actor,
            })
            .collect())
    }

    pub async fn workspace(&self, auth: &Authenticated) -> Result<ReleaseWorkspace, ReleaseError> {
        Ok(ReleaseWorkspace {
            organizations: self.organizations(auth).await?,
            teams: self.teams(auth).await?,
            synthesizers: self.synthesizer_list(auth).await?,
            releases: self.releases(auth, None).await?,
        })
    }

    pub async fn detail(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<ReleaseDetail, ReleaseError> {
        Ok(ReleaseDetail {
            release: self.release(auth, kind, id).await?,
            history: self.history(auth, kind, id).await?,
            workspace: self.workspace(auth).await?,
        })
    }

    // ---- Verify Before Launch and Launch -------------------------------------------------

    pub fn start_verification(
        self: &Arc<Self>,
        auth: Authenticated,
        kind: ReleaseType,
        id: String,
    ) -> mpsc::UnboundedReceiver<VerificationEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        let this = self.clone();
        tokio::spawn(async move {
            let event = match this.run_verification(&auth, kind, &id, Some(&tx)).await {
                Ok(report) => VerificationEvent::ReleaseFinished { report },
                Err(e) => VerificationEvent::Failed {
                    error: e.to_string(),
                },
            };
            let _ = tx.send(event);
        });
        rx
    }

    pub async fn verify(
        self: &Arc<Self>,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<ReleaseReport, ReleaseError> {
        self.record(auth, kind, id).await?;
        let this = self.clone();
        let (auth, id) = (auth.clone(), id.to_owned());
        tokio::spawn(async move { this.run_verification(&auth, kind, &id, None).await })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "the release verification task failed");
                ReleaseError::Unavailable
            })?
    }

    async fn run_verification(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
        events: Option<&mpsc::UnboundedSender<VerificationEvent>>,
    ) -> Result<ReleaseReport, ReleaseError> {
        let record = self.record(auth, kind, id).await?;
        let release = self.release(auth, kind, id).await?;
        let synthesizer = self
            .synthesizers
            .get(auth, &record.fields.synthesizer)
            .await
            .map_err(|_| ReleaseError::NotFound)?;
        let team = self.team(auth, &record.fields.team).await?;
        let key = self.identity.current_key(auth).await?;
        let principal = self
            .platform
            .info()
            .await
            .map(|p| p.principal)
            .unwrap_or_else(|_| "<the Fastish platform principal>".into());
        let checks = self
            .verifier
            .run(
                ReleaseTarget {
                    release_type: kind,
                    fields: &record.fields,
                    stack_name: &release.stack_name,
                    synthesizer_verified_at: synthesizer
                        .verified_at
                        .as_deref()
                        .and_then(parse_rfc3339),
                    synthesizer: &synthesizer,
                    team: &team,
                    key: &key,
                    principal: &principal,
                    now: now(),
                },
                events,
            )
            .await;
        drop(key);
        let ok = valid(&checks);
        let at = now();
        // A valid report validates a draft; an invalid one returns a validated release to draft.
        let status = match (record.status, ok) {
            (ReleaseStatus::Draft | ReleaseStatus::Validated, true) => ReleaseStatus::Validated,
            (ReleaseStatus::Draft | ReleaseStatus::Validated, false) => ReleaseStatus::Draft,
            (other, _) => other,
        };
        self.store
            .record_release_report(
                StoredReleaseReport {
                    release_id: id.to_owned(),
                    subscriber_id: auth.subscriber.id.clone(),
                    actor: auth.subscriber.email.clone(),
                    at,
                    valid: ok,
                    checks: checks.clone(),
                },
                status,
            )
            .await
            .map_err(store_failed("storing a release report failed"))?;
        self.identity
            .record(
                &auth.subscriber.id,
                if ok {
                    "release.verified.valid"
                } else {
                    "release.verified.invalid"
                },
                id,
            )
            .await;
        Ok(ReleaseReport {
            release_id: id.to_owned(),
            valid: ok,
            checks,
            verified_at: rfc3339(at),
            ready_to_deploy: ok,
        })
    }

    /// Hands the release to the deployment pipeline: only while its latest report is valid and
    /// younger than an hour and its synthesizer is still verified.
    pub async fn launch(
        &self,
        auth: &Authenticated,
        kind: ReleaseType,
        id: &str,
    ) -> Result<Release, ReleaseError> {
        let release = self.release(auth, kind, id).await?;
        if !release.launchable {
            return Err(ReleaseError::NotLaunchable(
                "This release can launch only while its latest Verify Before Launch is valid and less than an hour old, and its synthesizer is verified. Verify it again.".into(),
            ));
        }
        let synthesizer = self
            .synthesizers
            .get(auth, &release.fields.synthesizer)
            .await
            .map_err(|_| ReleaseError::NotFound)?;
        let orgs = self.org_records(&auth.subscriber.id).await?;
        let organization = orgs
            .iter()
            .find(|o| o.id == release.fields.organization)
            .map(|o| o.name.clone())
            .unwrap_or_default();
        let event = LaunchRequested {
            subscriber_id: auth.subscriber.id.clone(),
            release_id: release.id.clone(),
            release_name: release.fields.name.clone(),
            release_type: kind.as_str().into(),
            synthesizer_id: synthesizer.id.clone(),
            account: synthesizer.fields.account.clone(),
            region: synthesizer.fields.region.clone(),
            organization,
            environment: release.fields.environment.clone(),
            version: release.fields.version.clone(),
            stack_name: release.stack_name.clone(),
        };
        if let Err(e) = self.launcher.publish(&event).await {
            tracing::error!(error = %e, release = %id, "publishing the launch event failed");
            return Err(ReleaseError::LaunchFailed);
        }
        self.store
            .set_release_status(&auth.subscriber.id, id, ReleaseStatus::Launching, now())
            .await
            .map_err(store_failed("marking a release as launching failed"))?;
        self.identity
            .record(&auth.subscriber.id, "release.launch_requested", id)
            .await;
        self.release(auth, kind, id).await
    }
}
