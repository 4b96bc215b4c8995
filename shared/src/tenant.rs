//! Tenants (项目, SPEC §9): how a property developer's deployment uses the vehicle module.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;

/// What a `hidden` tenant's users are told wherever 我的车辆 would be.
pub const HIDDEN_TEXT: &str = "当前项目未开放我的车辆功能";

/// What an `open` tenant's users are told wherever 认证 or 申诉 would be.
pub const NO_CERTIFICATION_TEXT: &str = "本项目无需认证车辆";

/// A part of 我的车辆 a tenant may leave out (SPEC §5, §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// The vehicle pages and their entry points (all but `hidden`).
    Vehicles,
    /// 去认证, 认证车辆的好处, 我要申诉 (`platform` and `mandatory`).
    Certification,
}

/// The refusal of every vehicle endpoint in a `hidden` tenant (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", HIDDEN_TEXT)]
pub struct ModuleHidden;

impl ModuleHidden {
    /// `forbidden`.
    pub const fn code(self) -> ErrorCode {
        ErrorCode::Forbidden
    }
}

/// The vehicle policy a tenant chose; the state machine asks it what add and certify may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantPolicy {
    /// The default: add, certify, appeal, authorize as SPEC §3 says.
    #[default]
    Platform,
    /// No certification and no conflicts: anyone adds any plate, nobody becomes owner; vehicle
    /// notices go to the latest payer.
    Open,
    /// The module is hidden: this tenant's users cannot manage vehicles at all.
    Hidden,
    /// Adding requires certification: the add carries the evidence and starts at 认证中.
    Mandatory,
}

impl TenantPolicy {
    /// Whether this tenant's users see 我的车辆 at all.
    pub const fn shows_vehicles(self) -> bool {
        match self {
            Self::Platform | Self::Open | Self::Mandatory => true,
            Self::Hidden => false,
        }
    }

    /// Whether this tenant's users may use 我的车辆.
    ///
    /// # Errors
    /// [`ModuleHidden`] for a `hidden` tenant.
    pub const fn require_vehicles(self) -> Result<(), ModuleHidden> {
        if self.shows_vehicles() {
            Ok(())
        } else {
            Err(ModuleHidden)
        }
    }

    /// Whether adding a car must carry its certification (`mandatory`).
    pub const fn certifies_on_add(self) -> bool {
        match self {
            Self::Mandatory => true,
            Self::Platform | Self::Open | Self::Hidden => false,
        }
    }

    /// Why this tenant leaves `feature` out (the text its page shows instead), or `None` when
    /// it offers it.
    pub const fn left_out(self, feature: Feature) -> Option<&'static str> {
        match (feature, self.shows_vehicles(), self.allows_certification()) {
            (_, false, _) => Some(HIDDEN_TEXT),
            (Feature::Certification, true, false) => Some(NO_CERTIFICATION_TEXT),
            (Feature::Vehicles, true, _) | (Feature::Certification, true, true) => None,
        }
    }

    /// Whether this tenant's users can certify or appeal (去认证, 我要申诉).
    pub const fn allows_certification(self) -> bool {
        match self {
            Self::Platform | Self::Mandatory => true,
            Self::Open | Self::Hidden => false,
        }
    }
}

/// A tenant (项目) as the SPA needs it: its policy and the support phone of 联系客服.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Stable tenant id, e.g. `platform` or `poly`.
    pub id: String,
    /// Display name, e.g. 保利.
    pub name: String,
    /// The vehicle policy.
    pub policy: TenantPolicy,
    /// The number 联系客服 dials.
    pub support_phone: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn each_policy_leaves_out_what_it_does_not_offer() {
        use TenantPolicy::{Hidden, Mandatory, Open, Platform};
        for policy in [Platform, Mandatory] {
            assert_eq!(policy.left_out(Feature::Vehicles), None);
            assert_eq!(policy.left_out(Feature::Certification), None);
        }
        assert_eq!(Open.left_out(Feature::Vehicles), None);
        assert_eq!(
            Open.left_out(Feature::Certification),
            Some(NO_CERTIFICATION_TEXT)
        );
        for feature in [Feature::Vehicles, Feature::Certification] {
            assert_eq!(Hidden.left_out(feature), Some(HIDDEN_TEXT));
        }
    }

    #[test]
    fn only_a_hidden_tenant_refuses_the_vehicle_module() {
        for policy in [
            TenantPolicy::Platform,
            TenantPolicy::Open,
            TenantPolicy::Mandatory,
        ] {
            assert_eq!(policy.require_vehicles(), Ok(()), "{policy:?}");
        }
        let refused = TenantPolicy::Hidden.require_vehicles().unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden);
        assert_eq!(refused.to_string(), HIDDEN_TEXT);
    }
}
