//! Release check 4, Team Resource Quotas: a deployment adds about 5 Lambda functions and 1
//! DynamoDB table; with them the team must stay within its quotas. No AWS call.

use serde_json::json;

use app::contract::{CheckResult, Team};

use crate::verification::outcome::{failed, passed, WithDetails};

pub const NAME: &str = "Team Resource Quotas";
pub const NEW_LAMBDA_FUNCTIONS: u32 = 5;
pub const NEW_DYNAMODB_TABLES: u32 = 1;

pub fn interpret(team: &Team) -> CheckResult {
    let Some(q) = &team.quotas else {
        return passed(NAME, "No quotas configured");
    };
    let r = &team.resources;
    let mut violations = Vec::new();
    if let Some(max) = q.max_lambda_functions {
        let future = r.lambda_functions + NEW_LAMBDA_FUNCTIONS;
        if future > max {
            violations.push(format!("Lambda functions: {future}/{max}"));
        }
    }
    if let Some(max) = q.max_dynamodb_tables {
        let future = r.dynamodb_tables + NEW_DYNAMODB_TABLES;
        if future > max {
            violations.push(format!("DynamoDB tables: {future}/{max}"));
        }
    }
    if violations.is_empty() {
        return passed(NAME, "Deployment within team quotas");
    }
    failed(
        NAME,
        "Deployment would exceed team quotas",
        format!("Request quota increase or clean up unused resources: raise team {}'s quotas or lower its resource counts.", team.name),
    )
    .with_details(json!(violations))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::{CheckStatus, TeamQuotas, TeamResources};

    fn team(quotas: Option<(Option<u32>, Option<u32>)>, lambdas: u32, tables: u32) -> Team {
        Team {
            id: "team_1".into(),
            name: "platform".into(),
            organization: "org_1".into(),
            quotas: quotas.map(|(l, d)| TeamQuotas {
                max_lambda_functions: l,
                max_dynamodb_tables: d,
            }),
            resources: TeamResources {
                lambda_functions: lambdas,
                dynamodb_tables: tables,
            },
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn no_quotas() {
        let r = interpret(&team(None, 1000, 1000));
        assert_eq!(
            (r.status, r.message.as_str()),
            (CheckStatus::Passed, "No quotas configured")
        );
    }

    #[test]
    fn exactly_at_the_limit_passes_one_over_fails() {
        // 15 + 5 = 20 of 20; 9 + 1 = 10 of 10.
        assert_eq!(
            interpret(&team(Some((Some(20), Some(10))), 15, 9)).status,
            CheckStatus::Passed
        );
        let r = interpret(&team(Some((Some(20), Some(10))), 16, 9));
        assert_eq!(r.status, CheckStatus::Failed);
        assert_eq!(r.message, "Deployment would exceed team quotas");
        assert_eq!(r.details.unwrap(), json!(["Lambda functions: 21/20"]));
        assert!(r.action.is_some());
        let r = interpret(&team(Some((Some(20), Some(10))), 16, 10));
        assert_eq!(
            r.details.unwrap(),
            json!(["Lambda functions: 21/20", "DynamoDB tables: 11/10"])
        );
    }

    #[test]
    fn one_below_the_limit_and_a_single_quota() {
        assert_eq!(
            interpret(&team(Some((Some(20), None)), 14, 500)).status,
            CheckStatus::Passed
        );
        assert_eq!(
            interpret(&team(Some((None, Some(1))), 500, 0)).status,
            CheckStatus::Passed
        );
        assert_eq!(
            interpret(&team(Some((None, Some(1))), 0, 1)).status,
            CheckStatus::Failed
        );
    }
}
