//! An AWS SDK error, as a check can explain it: the endpoint could not be reached (timeouts,
//! connection failures), or AWS answered with an error code. Never credentials or a stack trace.

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsFailure {
    /// No answer: timed out, or the connection failed.
    Unreachable { timed_out: bool },
    /// AWS answered with an error.
    Service {
        code: String,
        message: String,
        status: u16,
    },
    /// Anything else (a response the SDK could not read, a request it could not build).
    Other(String),
}

impl AwsFailure {
    pub fn of<E: ProvideErrorMetadata + std::error::Error>(
        err: &SdkError<E, HttpResponse>,
    ) -> Self {
        match err {
            SdkError::TimeoutError(_) => Self::Unreachable { timed_out: true },
            SdkError::DispatchFailure(f) => Self::Unreachable {
                timed_out: f.is_timeout(),
            },
            SdkError::ServiceError(se) => {
                let status = se.raw().status().as_u16();
                let e = se.err();
                let code = e
                    .code()
                    .map(str::to_owned)
                    .unwrap_or_else(|| default_code(status).to_owned());
                Self::Service {
                    code,
                    message: e.message().unwrap_or("").to_owned(),
                    status,
                }
            }
            SdkError::ResponseError(_) => {
                Self::Other("AWS sent an answer that could not be read".into())
            }
            other => Self::Other(format!("the request could not be sent ({})", kind(other))),
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Service { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }

    /// `Code: message` for an AWS answer; "Could not reach <service> in <region> ..." otherwise.
    pub fn sentence(&self, service: &str, region: &str) -> String {
        match self {
            Self::Unreachable { timed_out: true } => {
                format!("Could not reach {service} in {region}: the call timed out.")
            }
            Self::Unreachable { timed_out: false } => {
                format!("Could not reach {service} in {region}: the connection failed.")
            }
            Self::Service { code, message, .. } if message.is_empty() => code.clone(),
            Self::Service { code, message, .. } => format!("{code}: {message}"),
            Self::Other(what) => format!("{service} in {region} failed: {what}."),
        }
    }
}

fn kind<E, R>(e: &SdkError<E, R>) -> &'static str {
    match e {
        SdkError::ConstructionFailure(_) => "construction failure",
        _ => "unexpected error",
    }
}

/// Some answers (S3's HeadBucket) have no body, so no code: name them by their status.
fn default_code(status: u16) -> &'static str {
    match status {
        301 => "PermanentRedirect",
        403 => "AccessDenied",
        404 => "NotFound",
        _ => "UnknownError",
    }
}

/// The action for a check that could not reach AWS.
pub fn unreachable_action(service: &str) -> String {
    format!("The portal could not reach {service}. This is usually temporary: verify again in a minute. If it persists, check status.aws.amazon.com for the region.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_name_the_code_or_the_unreachable_service() {
        let denied = AwsFailure::Service {
            code: "AccessDenied".into(),
            message: "not authorized".into(),
            status: 403,
        };
        assert_eq!(
            denied.sentence("STS", "us-west-2"),
            "AccessDenied: not authorized"
        );
        assert_eq!(
            AwsFailure::Unreachable { timed_out: true }.sentence("Amazon S3", "us-west-2"),
            "Could not reach Amazon S3 in us-west-2: the call timed out."
        );
        assert_eq!(default_code(404), "NotFound");
    }
}
