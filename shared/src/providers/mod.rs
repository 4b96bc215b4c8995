//! The outside services' published protocols, as pure data and functions: the worker speaks
//! them and the local stand-in (integration) checks them, so both read the same definitions.

pub mod tc3;
pub mod tencent_sms;
pub mod wechat;
pub mod wechat_pay;
