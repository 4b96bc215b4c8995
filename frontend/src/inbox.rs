//! How many inbox messages are unread, shared by the tab bar's badge, 我的's 消息 link and the
//! 消息 page (which lowers it when it marks messages read).

use yew::prelude::*;

/// The context: `None` until the first `GET /api/messages` answers (or when signed out).
pub type UnreadHandle = UseStateHandle<Option<u64>>;

/// The unread count (`None` outside the provider, which never happens in the app).
#[hook]
pub fn use_unread() -> UnreadHandle {
    use_context::<UnreadHandle>().unwrap_or_else(|| unreachable!("App provides the unread context"))
}

/// The badge text: the number, `99+` above 99, nothing at 0.
pub fn badge_text(unread: u64) -> Option<String> {
    match unread {
        0 => None,
        1..=99 => Some(unread.to_string()),
        _ => Some("99+".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_badge_counts_to_99_and_hides_at_0() {
        assert_eq!(badge_text(0), None);
        assert_eq!(badge_text(1).as_deref(), Some("1"));
        assert_eq!(badge_text(99).as_deref(), Some("99"));
        assert_eq!(badge_text(100).as_deref(), Some("99+"));
    }
}
