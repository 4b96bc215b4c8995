//! The WeChat 公众号: its server API, the sign-in cookies, and turning inbox messages into
//! template messages for the push object (`wechat_do`).

pub mod api;
pub mod cookies;
pub mod push;
