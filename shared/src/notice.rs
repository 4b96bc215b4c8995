//! Every dialog and fixed text of SPEC §4–§5, in one catalogue used by the SPA and the API.
//!
//! Texts are SPEC's corrected ones (not the seed's two slips), with ASCII `,` `?` `:` as SPEC
//! writes them.

use serde::{Deserialize, Serialize};

use crate::plate::Plate;
use crate::vehicle::{NoticeKind, VehicleState};

/// The title of every dialog SPEC gives no title to.
pub const DEFAULT_TITLE: &str = "温馨提示";
/// The tip line under the car list on 我的.
pub const TIP: &str = "温馨提示：认证车辆可开启车辆隐私保护。";
/// The title of the benefits sheet.
pub const BENEFITS_TITLE: &str = "认证车辆的好处";
/// The lines of the benefits sheet, in order.
pub const BENEFITS: [&str; 3] = [
    "1、认证车辆可保护隐私，防止他人绑定；",
    "2、认证车辆后可看到完整的车场名称；",
    "3、认证后可开启\"隐私保护\"功能，（开启隐私保护，可隐藏车场名称）。",
];
/// The benefits sheet's button.
pub const GO_CERTIFY: &str = "去认证";
/// The add page's warning for a non-standard plate, confirmed by the user.
pub const NONSTANDARD_WARNING: &str = "车牌格式与新能源号牌规则不符，请核对";
/// The add button on 我的.
pub const ADD_VEHICLE: &str = "+添加车辆";
/// The link on an uncertified car's card.
pub const MAINTAIN_VEHICLE: &str = "维护车辆信息>";

/// What a dialog button does when tapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogAction {
    /// 我要申诉: open the appeal page.
    Appeal,
    /// 我知道了 / 确定: acknowledge (for a notice) or just close.
    Ack,
    /// 联系客服: open the support-call dialog.
    ContactSupport,
    /// 取消添加: withdraw the request waiting for the owner.
    CancelRequest,
    /// 确定 in the support dialog: dial [`Dialog::tel`].
    Dial,
    /// 取消: close without doing anything.
    Cancel,
}

/// One button of a dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// The label shown.
    pub label: String,
    /// What tapping it does.
    pub action: DialogAction,
}

/// A dialog: title, text and buttons, left to right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialog {
    /// The title (温馨提示 unless SPEC names one).
    pub title: String,
    /// The text, with the plate or phone filled in.
    pub text: String,
    /// The buttons, left to right.
    pub buttons: Vec<Button>,
    /// The `tel:` link of a [`DialogAction::Dial`] button.
    pub tel: Option<String>,
    /// The operator's reason, shown as 「原因：…」 under the text (SPEC §4: 申诉失败).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn button(label: &str, action: DialogAction) -> Button {
    Button {
        label: label.to_owned(),
        action,
    }
}

fn dialog(title: &str, text: String, buttons: Vec<Button>) -> Dialog {
    Dialog {
        title: title.to_owned(),
        text,
        buttons,
        tel: None,
        reason: None,
    }
}

/// An operator's reason under a text: 「原因：…」 (SPEC §4).
pub fn reason_line(reason: &str) -> String {
    format!("原因：{reason}")
}

/// The 未认证 card's line after a rejected certification.
pub fn rejection_line(reason: &str) -> String {
    format!("认证未通过，{}", reason_line(reason))
}

impl Dialog {
    /// The dialog without 我要申诉 unless `appeals` (an `open` tenant's users cannot appeal).
    #[must_use]
    pub fn without_appeal_unless(mut self, appeals: bool) -> Self {
        if !appeals {
            self.buttons.retain(|b| b.action != DialogAction::Appeal);
        }
        self
    }
}

/// The dialog of a notice about `plate` (SPEC §4).
pub fn notice_dialog(kind: NoticeKind, plate: &Plate) -> Dialog {
    let appeal_or_ack = || {
        vec![
            button("我要申诉", DialogAction::Appeal),
            button("我知道了", DialogAction::Ack),
        ]
    };
    let ok = || vec![button("确定", DialogAction::Ack)];
    match kind {
        NoticeKind::LostToOtherAppeal => dialog(
            DEFAULT_TITLE,
            format!("车辆{plate}的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。"),
            appeal_or_ack(),
        ),
        NoticeKind::RevokedByOperator => dialog(
            DEFAULT_TITLE,
            format!("车辆{plate}的认证关系存在异常，当前账号与车辆的认证关系已取消"),
            appeal_or_ack(),
        ),
        NoticeKind::CertifiedByOther => dialog(
            DEFAULT_TITLE,
            format!("车辆{plate}已被其他账号认证，当前账号将移除该车辆。"),
            appeal_or_ack(),
        ),
        NoticeKind::AppealFailed => dialog(
            "申诉失败",
            format!("车辆{plate}的申诉失败，当前账号无法添加该车辆。"),
            ok(),
        ),
        NoticeKind::AppealSucceeded => dialog(
            "申诉成功",
            format!("当前账号已成功添加并认证车辆{plate}"),
            ok(),
        ),
        NoticeKind::AuthorizationRevoked => dialog(
            "车辆移除提醒",
            format!("{plate}已移除，原因：授权取消"),
            ok(),
        ),
        NoticeKind::AuthorizationDenied => dialog(
            "车辆移除提醒",
            format!("{plate}已移除，原因：车主拒绝授权"),
            ok(),
        ),
    }
}

/// The dialog shown when tapping a car card in a pending state; `None` for the other states
/// (tapping them opens the car instead).
pub fn card_dialog(state: VehicleState) -> Option<Dialog> {
    let support_or_ack = || {
        vec![
            button("联系客服", DialogAction::ContactSupport),
            button("我知道了", DialogAction::Ack),
        ]
    };
    match state {
        VehicleState::Certifying => Some(dialog(
            DEFAULT_TITLE,
            "您的补充信息已提交人工审核，我们会在3个工作日内处理。".to_owned(),
            support_or_ack(),
        )),
        VehicleState::Appealing => Some(dialog(
            DEFAULT_TITLE,
            "您提交的申诉信息已提交人工审核，我们会在3个工作日内处理。".to_owned(),
            support_or_ack(),
        )),
        VehicleState::AwaitingAuthorization => Some(dialog(
            DEFAULT_TITLE,
            "添加车辆的授权申请提交车主确认。请耐心等待车主确认结果。".to_owned(),
            vec![
                button("取消添加", DialogAction::CancelRequest),
                button("我知道了", DialogAction::Ack),
            ],
        )),
        VehicleState::Added | VehicleState::Certified | VehicleState::Authorized => None,
    }
}

/// Asks before 移除车辆 on the car's 设置 page; 确定 removes it.
pub fn remove_vehicle_dialog(plate: &Plate) -> Dialog {
    dialog(
        DEFAULT_TITLE,
        format!("确定从我的车辆中移除{plate}吗？"),
        vec![
            button("取消", DialogAction::Cancel),
            button("确定", DialogAction::Ack),
        ],
    )
}

/// Asks before 退出所有设备 on 我的; 确定 signs this account out on every phone and browser.
pub fn logout_all_dialog() -> Dialog {
    dialog(
        DEFAULT_TITLE,
        "确定退出所有设备吗？退出后，所有手机和浏览器上的登录都将失效，需要重新登录。".to_owned(),
        vec![
            button("取消", DialogAction::Cancel),
            button("确定", DialogAction::Ack),
        ],
    )
}

/// The 联系客服 dialog with the tenant's support phone; 确定 dials it.
pub fn contact_support_dialog(phone: &str) -> Dialog {
    let mut d = dialog(
        DEFAULT_TITLE,
        format!("确定拨打客服电话吗？客服电话：{phone}"),
        vec![
            button("确定", DialogAction::Dial),
            button("取消", DialogAction::Cancel),
        ],
    );
    d.tel = Some(format!("tel:{phone}"));
    d
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rstest::rstest;

    fn labels(d: &Dialog) -> Vec<&str> {
        d.buttons.iter().map(|b| b.label.as_str()).collect()
    }

    #[test]
    fn an_open_tenants_dialogs_offer_no_appeal() {
        let plate = Plate::parse("闽D12337").unwrap();
        let d = notice_dialog(NoticeKind::CertifiedByOther, &plate);
        assert_eq!(
            labels(&d.clone().without_appeal_unless(true)),
            ["我要申诉", "我知道了"]
        );
        assert_eq!(labels(&d.without_appeal_unless(false)), ["我知道了"]);
    }

    #[rstest]
    #[case::lost_to_other_appeal(NoticeKind::LostToOtherAppeal, "温馨提示", "车辆闽D12337的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。", &["我要申诉", "我知道了"])]
    #[case::revoked_by_operator(NoticeKind::RevokedByOperator, "温馨提示", "车辆闽D12337的认证关系存在异常，当前账号与车辆的认证关系已取消", &["我要申诉", "我知道了"])]
    #[case::certified_by_other(NoticeKind::CertifiedByOther, "温馨提示", "车辆闽D12337已被其他账号认证，当前账号将移除该车辆。", &["我要申诉", "我知道了"])]
    #[case::appeal_failed(NoticeKind::AppealFailed, "申诉失败", "车辆闽D12337的申诉失败，当前账号无法添加该车辆。", &["确定"])]
    #[case::appeal_succeeded(NoticeKind::AppealSucceeded, "申诉成功", "当前账号已成功添加并认证车辆闽D12337", &["确定"])]
    #[case::authorization_revoked(NoticeKind::AuthorizationRevoked, "车辆移除提醒", "闽D12337已移除，原因：授权取消", &["确定"])]
    #[case::authorization_denied(NoticeKind::AuthorizationDenied, "车辆移除提醒", "闽D12337已移除，原因：车主拒绝授权", &["确定"])]
    fn notice_dialogs_match_spec(
        #[case] kind: NoticeKind,
        #[case] title: &str,
        #[case] text: &str,
        #[case] buttons: &[&str],
    ) {
        let d = notice_dialog(kind, &Plate::parse("闽D12337").unwrap());
        assert_eq!(d.title, title);
        assert_eq!(d.text, text);
        assert_eq!(labels(&d), buttons);
        let appeal = d.buttons.iter().any(|b| b.action == DialogAction::Appeal);
        let ack_last = d.buttons.last().map(|b| b.action) == Some(DialogAction::Ack);
        assert!(ack_last);
        assert_eq!(
            appeal,
            matches!(
                kind,
                NoticeKind::LostToOtherAppeal
                    | NoticeKind::RevokedByOperator
                    | NoticeKind::CertifiedByOther
            )
        );
    }

    #[rstest]
    #[case::tap_certifying(VehicleState::Certifying, Some(("您的补充信息已提交人工审核，我们会在3个工作日内处理。", ["联系客服", "我知道了"])))]
    #[case::tap_appealing(VehicleState::Appealing, Some(("您提交的申诉信息已提交人工审核，我们会在3个工作日内处理。", ["联系客服", "我知道了"])))]
    #[case::tap_awaiting_authorization(VehicleState::AwaitingAuthorization, Some(("添加车辆的授权申请提交车主确认。请耐心等待车主确认结果。", ["取消添加", "我知道了"])))]
    #[case::tap_added(VehicleState::Added, None)]
    #[case::tap_certified(VehicleState::Certified, None)]
    #[case::tap_authorized(VehicleState::Authorized, None)]
    fn card_dialogs_match_spec(
        #[case] state: VehicleState,
        #[case] expected: Option<(&str, [&str; 2])>,
    ) {
        let got = card_dialog(state);
        match expected {
            None => assert!(got.is_none()),
            Some((text, buttons)) => {
                let d = got.unwrap();
                assert_eq!(d.title, "温馨提示");
                assert_eq!(d.text, text);
                assert_eq!(labels(&d), buttons);
            }
        }
    }

    #[test]
    fn contact_support_dials_the_tenant_phone() {
        let d = contact_support_dialog("1508888888");
        assert_eq!(d.title, "温馨提示");
        assert_eq!(d.text, "确定拨打客服电话吗？客服电话：1508888888");
        assert_eq!(labels(&d), ["确定", "取消"]);
        assert_eq!(d.buttons[0].action, DialogAction::Dial);
        assert_eq!(d.tel.as_deref(), Some("tel:1508888888"));
    }

    #[test]
    fn static_texts_match_spec() {
        assert_eq!(TIP, "温馨提示：认证车辆可开启车辆隐私保护。");
        assert_eq!(BENEFITS[1], "2、认证车辆后可看到完整的车场名称；");
        assert_eq!(NONSTANDARD_WARNING, "车牌格式与新能源号牌规则不符，请核对");
    }

    #[test]
    fn logout_all_asks_first_and_confirms_with_ack() {
        let d = logout_all_dialog();
        assert_eq!(d.title, "温馨提示");
        assert!(d.text.starts_with("确定退出所有设备吗"), "{}", d.text);
        assert!(
            !d.text.contains([',', '?']),
            "full-width punctuation: {}",
            d.text
        );
        assert_eq!(labels(&d), ["取消", "确定"]);
        assert_eq!(d.buttons[1].action, DialogAction::Ack);
    }
}
