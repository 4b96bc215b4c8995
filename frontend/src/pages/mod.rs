//! One module per page of the SPA.

pub mod mine;
pub mod placeholder;
