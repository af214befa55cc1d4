//! Check 3, ECR Repository: the container assets repository exists (DescribeRepositories).

use serde_json::json;

use app::contract::{CheckResult, SynthesizerFields};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::clients::CheckClients;
use crate::verification::outcome::{failed, not_configured, passed, WithDetails};

pub const NAME: &str = "ECR Repository";
const SERVICE: &str = "Amazon ECR";

/// What DescribeRepositories said about the repository.
pub struct Found {
    pub arn: String,
    pub created_at: Option<String>,
}

pub async fn run(clients: &CheckClients, f: &SynthesizerFields) -> CheckResult {
    let repo = f.cdk.storage.images_repo.as_str();
    if repo.is_empty() {
        return not_configured(NAME, "container image repository", "cdk.storage.imagesRepo");
    }
    let answer = clients
        .ecr
        .describe_repositories()
        .repository_names(repo)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.repositories().first().map(|r| Found {
                arn: r.repository_arn().unwrap_or_default().to_owned(),
                created_at: r.created_at().and_then(|t| {
                    t.fmt(aws_sdk_ecr::primitives::DateTimeFormat::DateTime)
                        .ok()
                }),
            })
        });
    interpret(f, answer)
}

pub fn interpret(f: &SynthesizerFields, answer: Result<Option<Found>, AwsFailure>) -> CheckResult {
    let repo = &f.cdk.storage.images_repo;
    let create = format!(
        "Run `cdk bootstrap aws://{}/{}` to create the container assets repository, or set cdk.storage.imagesRepo to the ImageRepositoryName output of your CDKToolkit stack.",
        f.account, f.region
    );
    match answer {
        Ok(Some(found)) => passed(NAME, format!("Repository {repo} exists"))
            .with_details(json!({ "repositoryArn": found.arn, "createdAt": found.created_at })),
        Ok(None) => failed(
            NAME,
            format!("RepositoryNotFoundException: repository {repo} was not returned."),
            create,
        ),
        Err(e) if e.is_unreachable() => failed(
            NAME,
            e.sentence(SERVICE, &f.region),
            unreachable_action(SERVICE),
        ),
        Err(e) if e.code() == Some("RepositoryNotFoundException") => failed(
            NAME,
            format!(
                "RepositoryNotFoundException: repository {repo} does not exist in account {} ({}).",
                f.account, f.region
            ),
            create,
        ),
        Err(e)
            if e.status() == Some(403) || e.code().is_some_and(|c| c.contains("AccessDenied")) =>
        {
            failed(
                NAME,
                e.sentence(SERVICE, &f.region),
                format!("Grant the handshake role ecr:DescribeRepositories on repository {repo}."),
            )
        }
        Err(e) => failed(NAME, e.sentence(SERVICE, &f.region), create),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::CheckStatus;

    fn fields() -> SynthesizerFields {
        let mut f = SynthesizerFields {
            account: "210987654321".into(),
            region: "us-west-2".into(),
            ..Default::default()
        };
        f.cdk.storage.images_repo = "repo-x".into();
        f
    }

    #[test]
    fn found_reports_arn_and_creation_time() {
        let r = interpret(
            &fields(),
            Ok(Some(Found {
                arn: "arn:aws:ecr:x".into(),
                created_at: Some("2026-01-01T00:00:00Z".into()),
            })),
        );
        assert_eq!(r.status, CheckStatus::Passed);
        assert_eq!(r.message, "Repository repo-x exists");
        let d = r.details.unwrap();
        assert_eq!(d["repositoryArn"], "arn:aws:ecr:x");
        assert_eq!(d["createdAt"], "2026-01-01T00:00:00Z");
    }

    #[test]
    fn missing_names_the_code_and_the_fix() {
        let e = AwsFailure::Service {
            code: "RepositoryNotFoundException".into(),
            message: "x".into(),
            status: 400,
        };
        let r = interpret(&fields(), Err(e));
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r.message.starts_with("RepositoryNotFoundException"));
        assert!(r
            .action
            .unwrap()
            .contains("cdk bootstrap aws://210987654321/us-west-2"));
    }
}
