//! Pieces shared by several pages.

pub mod tab_bar;
