//! Pieces shared by several pages.

pub mod dialog;
pub mod tab_bar;
