//! 注销账号 (closing an account, as PIPL lets a user ask): what closing does to each of the
//! user's cars, when it is refused, and the confirmation the user reads before it.

use crate::api::ErrorCode;
use crate::ids::UserId;
use crate::money::Fen;
use crate::notice::{Button, Dialog, DialogAction, DEFAULT_TITLE};
use crate::tenant::TenantPolicy;
use crate::vehicle::{CommandKind, Relation, Vehicle};

/// The policy the closing commands run under: whatever the user's tenant shows, a user may
/// always leave (a `hidden` tenant would otherwise refuse the removal).
pub const CLOSING_POLICY: TenantPolicy = TenantPolicy::Platform;

/// The command that ends `user`'s relation to `vehicle` the way they could end it themselves
/// (SPEC §3): 移除车辆 for a car (an owner leaving revokes every authorization that depended on
/// them), 我知道了 for a dialog still waiting. `None` once nothing of the user is left there.
pub fn closing_command(vehicle: &Vehicle, user: &UserId) -> Option<CommandKind> {
    if vehicle.is_owner(user) {
        // A pending 申诉成功 dialog goes with the ownership.
        return Some(CommandKind::Remove);
    }
    match vehicle.relation(user)? {
        Relation::Notice(notice) => Some(CommandKind::Acknowledge {
            notice: notice.id.clone(),
        }),
        Relation::Added { .. }
        | Relation::Certifying(_)
        | Relation::AwaitingAuthorization { .. }
        | Relation::Authorized { .. }
        | Relation::Appealing(_) => Some(CommandKind::Remove),
    }
}

/// Why an account cannot be closed yet; the message says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClosingRefusal {
    /// The wallet still holds money: closing would lose it.
    #[error("钱包中还有余额{}元，请先用完余额再注销账号。", .0.yuan())]
    WalletNotEmpty(Fen),
}

impl ClosingRefusal {
    /// The API error code: 409 `conflict` (the account's state does not allow it yet).
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::Conflict
    }
}

/// Whether an account whose wallet holds `balance` may be closed now.
///
/// # Errors
/// [`ClosingRefusal::WalletNotEmpty`] while the wallet holds money.
pub fn may_close(balance: Fen) -> Result<(), ClosingRefusal> {
    if balance.get() > 0 {
        return Err(ClosingRefusal::WalletNotEmpty(balance));
    }
    Ok(())
}

/// The confirmation before 注销账号: what goes, what stays under a pseudonym; 确定注销 closes.
pub fn close_account_dialog() -> Dialog {
    Dialog {
        title: DEFAULT_TITLE.to_owned(),
        text: "注销后，您的车辆及其认证、授权关系，消息和上传的照片将被删除，且无法恢复；\
               停车/充电订单仍会保留，但只关联一个匿名编号，不再关联您的手机号。\
               注销前钱包余额须为零。确定注销账号吗？"
            .to_owned(),
        buttons: vec![
            Button {
                label: "取消".to_owned(),
                action: DialogAction::Cancel,
            },
            Button {
                label: "确定注销".to_owned(),
                action: DialogAction::Ack,
            },
        ],
        tel: None,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn an_empty_wallet_may_close_and_any_money_refuses_with_the_amount() {
        assert_eq!(may_close(Fen::new(0)), Ok(()));
        let refusal = may_close(Fen::new(5000)).unwrap_err();
        assert_eq!(refusal.code(), ErrorCode::Conflict);
        assert_eq!(
            refusal.to_string(),
            "钱包中还有余额50.00元，请先用完余额再注销账号。"
        );
        assert!(may_close(Fen::new(1)).is_err());
    }

    #[test]
    fn the_confirmation_names_what_goes_and_what_stays() {
        let dialog = close_account_dialog();
        for words in ["车辆", "消息", "照片", "订单", "匿名", "钱包余额"] {
            assert!(dialog.text.contains(words), "{words}");
        }
        assert!(!dialog.text.contains(',') && !dialog.text.contains('?'));
        assert_eq!(
            dialog.buttons.last().map(|b| b.action),
            Some(DialogAction::Ack)
        );
    }
}
