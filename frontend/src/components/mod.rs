//! Pieces shared by several pages.

pub mod dialog;
pub mod evidence;
pub mod plate_keyboard;
pub mod tab_bar;
