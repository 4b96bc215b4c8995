//! Pieces shared by several pages.

pub mod dialog;
pub mod error_box;
pub mod evidence;
pub mod order_card;
pub mod plate_keyboard;
pub mod signed_in;
pub mod source_order;
pub mod tab_bar;
pub mod tenant_gate;
pub mod vehicle_picker;
