//! One module per page of the SPA.

pub mod appeal;
pub mod mine;
pub mod placeholder;
pub mod sign_in;
