//! Money as people read it on screen; the rules (fen as yuan, typed yuan back into fen) live in
//! `shared::money`, tested there.

use shared::money::Fen;

/// `1250` → `¥12.50`.
pub fn yuan(fen: u64) -> String {
    Fen::new(fen).to_string()
}

/// A wallet movement with its sign: `+¥10.00` for a top-up, `-¥12.50` for a payment.
pub fn signed_yuan(delta_fen: i64) -> String {
    shared::money::signed(delta_fen)
}

/// The fen of an amount typed in yuan (`12`, `12.5`, `¥12.50`, full-width digits); `None` for
/// anything else.
pub fn parse_yuan(text: &str) -> Option<u64> {
    Fen::parse_yuan(text).map(Fen::get)
}
