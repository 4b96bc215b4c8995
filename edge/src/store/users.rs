//! Accounts: found by phone at sign-in, created on first sign-in in the default tenant.

use std::collections::HashMap;

use serde::Deserialize;
use shared::ids::UserId;
use shared::phone::Phone;
use shared::tenant::{Tenant, TenantPolicy};
use shared::timestamp::Timestamp;
use worker::D1Database;

use super::text;
use crate::error::AppResult;

/// The tenant a new account joins (SPEC §9: the platform's own policy).
pub const DEFAULT_TENANT: &str = "platform";

/// One account with its tenant's policy and support phone.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    /// Stable id, e.g. `u-3f9a…`.
    pub id: String,
    /// The full phone number; only masked forms leave the worker.
    pub phone: Phone,
    /// 项目 the user belongs to.
    pub tenant_id: String,
    /// The tenant's display name (保利…).
    pub tenant_name: String,
    /// The tenant's vehicle policy: platform, open, hidden or mandatory.
    pub tenant_policy: String,
    /// 联系客服 dials this.
    pub support_phone: String,
    /// 1 for operators (工作台).
    pub is_operator: i64,
}

impl User {
    /// The user's tenant with its policy (an unknown policy in the table reads as `platform`).
    pub fn tenant(&self) -> Tenant {
        Tenant {
            id: self.tenant_id.clone(),
            name: self.tenant_name.clone(),
            policy: self.policy(),
            support_phone: self.support_phone.clone(),
        }
    }

    /// The vehicle policy of the user's tenant.
    pub fn policy(&self) -> TenantPolicy {
        serde_json::from_value(serde_json::Value::String(self.tenant_policy.clone()))
            .unwrap_or_default()
    }

    /// The user's id as the rules know it.
    pub fn user_id(&self) -> UserId {
        UserId::new(&self.id)
    }

    /// Whether the account may use operator functions.
    pub fn is_operator(&self) -> bool {
        self.is_operator == 1
    }
}

/// The columns of a [`User`], from `users u` joined with `tenants t`.
pub const USER_COLUMNS: &str = "u.id, u.phone, u.tenant_id, t.name AS tenant_name, \
     t.policy AS tenant_policy, t.support_phone, u.is_operator";

/// Accounts with their tenants, as [`USER_COLUMNS`] names them.
const USERS: &str = "users u JOIN tenants t ON t.id = u.tenant_id";

/// The account with this phone number.
pub async fn by_phone(db: &D1Database, phone: &Phone) -> AppResult<Option<User>> {
    let stmt = db
        .prepare(format!(
            "SELECT {USER_COLUMNS} FROM {USERS} WHERE u.phone = ?1"
        ))
        .bind(&[text(phone.as_str())])?;
    Ok(stmt.first(None).await?)
}

/// The account with this id.
pub async fn by_id(db: &D1Database, id: &str) -> AppResult<Option<User>> {
    let stmt = db
        .prepare(format!(
            "SELECT {USER_COLUMNS} FROM {USERS} WHERE u.id = ?1"
        ))
        .bind(&[text(id)])?;
    Ok(stmt.first(None).await?)
}

/// The account for `phone`, created in the default tenant if it does not exist yet.
/// Two first sign-ins racing each other end with one account (the phone is unique).
pub async fn find_or_create(
    db: &D1Database,
    phone: &Phone,
    new_id: &str,
    now: Timestamp,
) -> AppResult<User> {
    db.prepare(
        "INSERT INTO users (id, phone, tenant_id, is_operator, created_at) VALUES (?1, ?2, ?3, 0, ?4) \
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(&[text(new_id), text(phone.as_str()), text(DEFAULT_TENANT), text(&now.to_string())])?
    .run()
    .await?;
    by_phone(db, phone)
        .await?
        .ok_or_else(|| crate::error::AppError::internal("user vanished after insert"))
}

/// The masked phones of `users` (for the owner's authorization list, the review queue).
pub async fn masked_phones(
    db: &D1Database,
    users: &[UserId],
) -> AppResult<HashMap<UserId, String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        phone: Phone,
    }
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = serde_json::to_string(users).unwrap_or_else(|_| "[]".into());
    let rows: Vec<Row> = db
        .prepare("SELECT id, phone FROM users WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(&[text(&ids)])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|r| (UserId::new(r.id), r.phone.masked()))
        .collect())
}
