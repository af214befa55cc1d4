//! Check 2, S3 Assets Bucket: the bucket exists, the handshake role can read it, and it is in the
//! synthesizer's region. HeadBucket and GetBucketLocation run concurrently. GetBucketLocation
//! answers nothing for us-east-1 and `EU` for eu-west-1 (legacy values).

use serde_json::json;

use app::contract::{CheckResult, SynthesizerFields};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::clients::CheckClients;
use crate::verification::outcome::{failed, not_configured, passed, WithDetails};

pub const NAME: &str = "S3 Assets Bucket";
const SERVICE: &str = "Amazon S3";

pub async fn run(clients: &CheckClients, f: &SynthesizerFields) -> CheckResult {
    let bucket = f.cdk.storage.assets_bucket.as_str();
    if bucket.is_empty() {
        return not_configured(NAME, "assets bucket", "cdk.storage.assetsBucket");
    }
    let (head, location) = tokio::join!(
        async {
            clients
                .s3
                .head_bucket()
                .bucket(bucket)
                .send()
                .await
                .map(|o| o.bucket_region().map(str::to_owned))
                .map_err(|e| AwsFailure::of(&e))
        },
        async {
            clients
                .s3
                .get_bucket_location()
                .bucket(bucket)
                .send()
                .await
                .map(|o| {
                    o.location_constraint()
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or_default()
                })
                .map_err(|e| AwsFailure::of(&e))
        },
    );
    interpret(f, head, location)
}

/// The region a `LocationConstraint` names.
pub fn region_of_constraint(constraint: &str) -> &str {
    match constraint {
        "" => "us-east-1",
        "EU" => "eu-west-1",
        other => other,
    }
}

pub fn interpret(
    f: &SynthesizerFields,
    head: Result<Option<String>, AwsFailure>,
    location: Result<String, AwsFailure>,
) -> CheckResult {
    let bucket = &f.cdk.storage.assets_bucket;
    let (account, region) = (&f.account, &f.region);
    let bootstrap = format!(
        "Run `cdk bootstrap aws://{account}/{region}` to create the assets bucket, or set cdk.storage.assetsBucket to the BucketName output of your CDKToolkit stack."
    );
    let header_region = match &head {
        Ok(r) => r.clone(),
        Err(f) if f.status() == Some(301) => None,
        Err(e) if e.is_unreachable() => {
            return failed(NAME, e.sentence(SERVICE, region), unreachable_action(SERVICE))
        }
        Err(e) if matches!(e.status(), Some(404)) || e.code() == Some("NoSuchBucket") => {
            return failed(NAME, format!("NoSuchBucket: bucket {bucket} does not exist."), bootstrap)
        }
        Err(e) if matches!(e.status(), Some(403)) => {
            return failed(
                NAME,
                format!("{}: the handshake role cannot read bucket {bucket} (it may be another account's bucket).", e.code().unwrap_or("AccessDenied")),
                format!("Check that bucket {bucket} is in account {account}, and grant the handshake role s3:ListBucket and s3:GetBucketLocation on arn:aws:s3:::{bucket}."),
            )
        }
        Err(e) => return failed(NAME, e.sentence(SERVICE, region), bootstrap),
    };
    let actual = match (&location, header_region) {
        (Ok(constraint), _) => region_of_constraint(constraint).to_owned(),
        (Err(_), Some(r)) => r,
        (Err(e), None) if e.is_unreachable() => {
            return failed(
                NAME,
                e.sentence(SERVICE, region),
                unreachable_action(SERVICE),
            )
        }
        (Err(e), None) => {
            return failed(
                NAME,
                e.sentence(SERVICE, region),
                format!("Grant the handshake role s3:GetBucketLocation on arn:aws:s3:::{bucket}."),
            )
        }
    };
    if &actual != region {
        return failed(
            NAME,
            format!("Bucket is in {actual}, expected {region}"),
            format!("Set cdk.storage.assetsBucket to the assets bucket of {region} (`cdk bootstrap aws://{account}/{region}` creates it), or change the synthesizer's region to {actual} if that is where you deploy."),
        )
        .with_details(json!({ "bucket": bucket, "bucketRegion": actual }));
    }
    passed(NAME, format!("Bucket exists and accessible in {region}"))
        .with_details(json!({ "bucket": bucket, "bucketRegion": actual }))
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
        f.cdk.storage.assets_bucket = "assets-b".into();
        f
    }

    fn service(status: u16, code: &str) -> AwsFailure {
        AwsFailure::Service {
            code: code.into(),
            message: String::new(),
            status,
        }
    }

    #[test]
    fn legacy_location_constraints() {
        assert_eq!(region_of_constraint(""), "us-east-1");
        assert_eq!(region_of_constraint("EU"), "eu-west-1");
        assert_eq!(region_of_constraint("us-west-2"), "us-west-2");
    }

    #[test]
    fn in_region_passes() {
        let r = interpret(
            &fields(),
            Ok(Some("us-west-2".into())),
            Ok("us-west-2".into()),
        );
        assert_eq!(r.status, CheckStatus::Passed);
        assert_eq!(r.message, "Bucket exists and accessible in us-west-2");
    }

    #[test]
    fn an_empty_constraint_is_us_east_1_and_fails_for_us_west_2() {
        let r = interpret(&fields(), Ok(None), Ok(String::new()));
        assert_eq!(r.status, CheckStatus::Failed);
        assert_eq!(r.message, "Bucket is in us-east-1, expected us-west-2");
        assert!(r.action.unwrap().contains("aws://210987654321/us-west-2"));
    }

    #[test]
    fn missing_forbidden_and_redirected_buckets() {
        let r = interpret(
            &fields(),
            Err(service(404, "NotFound")),
            Err(service(404, "NoSuchBucket")),
        );
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r.message.starts_with("NoSuchBucket"));
        let r = interpret(
            &fields(),
            Err(service(403, "AccessDenied")),
            Err(service(403, "AccessDenied")),
        );
        assert!(r.message.starts_with("AccessDenied") && r.action.is_some());
        // Real S3 answers HeadBucket from the wrong regional endpoint with 301; the location decides.
        let r = interpret(
            &fields(),
            Err(service(301, "PermanentRedirect")),
            Ok("eu-west-1".into()),
        );
        assert_eq!(r.message, "Bucket is in eu-west-1, expected us-west-2");
    }
}
