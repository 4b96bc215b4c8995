//! Chinese typography: every Chinese text of the product uses full-width punctuation
//! (`，：？；！（）`), as Chinese UIs do.
//!
//! [`half_width_in_chinese`] finds the half-width marks that sit inside Chinese, so one test
//! (`shared/tests/punctuation.rs`) can sweep every text of the catalogue and the pages.

/// The half-width marks that Chinese text writes full-width, each with its full-width form.
const MARKS: [(char, char); 7] = [
    (',', '，'),
    (':', '：'),
    ('?', '？'),
    (';', '；'),
    ('!', '！'),
    ('(', '（'),
    (')', '）'),
];

/// The full-width form of a half-width mark (`,` → `，`), or `None` for any other character.
pub fn full_width(mark: char) -> Option<char> {
    MARKS
        .iter()
        .find(|(half, _)| *half == mark)
        .map(|(_, full)| *full)
}

/// Whether `c` is Chinese: an ideograph, CJK punctuation (`。、「」`) or a full-width form
/// (`，：（）`).
pub fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}' // ideographs, extension A
        | '\u{4E00}'..='\u{9FFF}' // ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{2FA1F}') // ideographs, extensions B–F and supplement
}

/// One piece of a text: a character, or a format placeholder (`{plate}`, `{}`, `{:?}`).
#[derive(Clone, Copy)]
enum Piece {
    Char(usize, char),
    Placeholder,
}

/// The half-width marks of `text` that sit inside Chinese, with their byte offsets, in order.
///
/// A mark is inside Chinese when its nearest non-space neighbour on either side is Chinese
/// ([`is_chinese`]): `还没有车辆,添加` and `原因:{reason}` are flagged; `a, b`, `08:00`,
/// `https://x` and `{:?}` are not. A format placeholder (`{plate}`) counts as Chinese when it is
/// attached, with no space, to Chinese on its other side (`车辆{plate}:{x}`), so an English log
/// line that names a product (`支付分停车 of {}: {err}`) is not flagged; what is inside a
/// placeholder is never looked at. Brackets go in pairs: a `(` is flagged with its `)`. A
/// flagged mark counts as Chinese for its neighbours, as it will be once written full-width
/// (`不足),15元` flags both marks).
pub fn half_width_in_chinese(text: &str) -> Vec<(usize, char)> {
    let pieces = pieces(text);
    let mut flagged = vec![false; pieces.len()];
    // Each round can only flag more marks: at most one round per mark.
    loop {
        let mut next: Vec<bool> = (0..pieces.len())
            .map(|i| match pieces[i] {
                Piece::Char(_, c) if full_width(c).is_some() => {
                    chinese_side(&pieces, &flagged, i, Side::Before)
                        || chinese_side(&pieces, &flagged, i, Side::After)
                }
                _ => false,
            })
            .collect();
        pair_brackets(&pieces, &mut next);
        if next == flagged {
            break;
        }
        flagged = next;
    }
    pieces
        .iter()
        .zip(flagged)
        .filter_map(|(piece, flag)| match piece {
            Piece::Char(at, c) if flag => Some((*at, *c)),
            _ => None,
        })
        .collect()
}

/// A bracket pair is written in one width: either half flagged flags both.
fn pair_brackets(pieces: &[Piece], flagged: &mut [bool]) {
    let mut open = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Char(_, '(') => open.push(i),
            Piece::Char(_, ')') => {
                if let Some(o) = open.pop() {
                    let either = flagged[o] || flagged[i];
                    flagged[o] = either;
                    flagged[i] = either;
                }
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Before,
    After,
}

/// Whether the nearest non-space neighbour of `pieces[i]` on `side` is Chinese or a flagged mark
/// (a placeholder is, when the piece beyond it, with no space between, is).
fn chinese_side(pieces: &[Piece], flagged: &[bool], i: usize, side: Side) -> bool {
    let step = |j: usize| match side {
        Side::Before => j.checked_sub(1),
        Side::After => Some(j + 1).filter(|k| *k < pieces.len()),
    };
    let mut j = step(i);
    while let Some(k) = j {
        match pieces[k] {
            Piece::Char(_, c) if c.is_whitespace() => j = step(k),
            Piece::Char(_, c) => return is_chinese(c) || flagged[k],
            Piece::Placeholder => break,
        }
    }
    // At a placeholder: look past it (and past any placeholder right next to it).
    while let Some(k) = j {
        match pieces[k] {
            Piece::Placeholder => j = step(k),
            Piece::Char(_, c) => return is_chinese(c) || flagged[k],
        }
    }
    false
}

/// Splits `text` into characters and format placeholders: `{`, a name or index (maybe empty),
/// maybe `:` and an ASCII spec, `}`. Anything else in braces (`{{`, JSON) is plain characters.
fn pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = text.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        if c == '{' {
            if let Some(len) = placeholder_len(&text[at..]) {
                while rest.peek().is_some_and(|(next, _)| *next < at + len) {
                    rest.next();
                }
                pieces.push(Piece::Placeholder);
                continue;
            }
        }
        pieces.push(Piece::Char(at, c));
    }
    pieces
}

/// The byte length of the placeholder at the start of `text` (which starts with `{`), if any.
fn placeholder_len(text: &str) -> Option<usize> {
    let inner_len = text[1..].find(['{', '}'])?;
    let inner = &text[1..=inner_len];
    if !text[1 + inner_len..].starts_with('}') {
        return None;
    }
    let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
    let placeholder =
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && spec.is_ascii();
    placeholder.then_some(inner_len + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn marks(text: &str) -> Vec<char> {
        half_width_in_chinese(text)
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    }

    #[rstest]
    #[case::comma("还没有车辆,添加一辆吧", vec![','])]
    #[case::colon_before_placeholder("认证未通过,原因:{reason}", vec![',', ':'])]
    #[case::placeholder_then_chinese("车辆{plate}:获得优惠券", vec![':'])]
    #[case::between_placeholders_attached_to_chinese("车辆{plate}:{reason}", vec![':'])]
    #[case::question("确定移除{plate}吗?", vec!['?'])]
    #[case::semicolon_and_bang("已绑定;太好了!", vec![';', '!'])]
    #[case::brackets_around_a_placeholder("已绑定({date})", vec!['(', ')'])]
    #[case::closing_bracket_after_latin("请求内容过大(不能超过 {} KB)", vec!['(', ')'])]
    #[case::after_full_width_punctuation("「优惠券」(5元)", vec!['(', ')'])]
    #[case::after_a_flagged_mark("扣费失败(余额不足),15.00元", vec!['(', ')', ','])]
    #[case::space_between("车牌: 闽D12337", vec![':'])]
    #[case::latin_word_in_chinese("开通 WeChat,再缴费", vec![','])]
    fn flags_marks_inside_chinese(#[case] text: &str, #[case] expected: Vec<char>) {
        assert_eq!(marks(text), expected);
    }

    #[rstest]
    #[case::debug_spec("{:?}")]
    #[case::spec_in_chinese("车辆{plate:?}已移除")]
    #[case::url("https://x")]
    #[case::time_in_chinese("08:00离场")]
    #[case::english("a, b")]
    #[case::no_chinese("Hello (world): ok? yes; go!")]
    #[case::full_width("还没有车辆，添加一辆吧（原因：{reason}）")]
    #[case::english_log_naming_a_product("支付分停车 registration of {}: {err:?}")]
    #[case::english_log_with_placeholder("支付分停车 state of {plate}: {failure}")]
    #[case::json_braces_are_text("{\"code\":\"a\"}")]
    #[case::escaped_braces("{{车辆}}")]
    fn leaves_other_marks(#[case] text: &str) {
        assert_eq!(marks(text), Vec::<char>::new());
    }

    #[test]
    fn reports_byte_offsets() {
        assert_eq!(half_width_in_chinese("车辆,好"), vec![(6, ',')]);
    }

    #[test]
    fn json_with_chinese_is_looked_at() {
        assert_eq!(marks("{\"message\":\"余额不足,请先充值\"}"), vec![',']);
    }

    #[test]
    fn every_mark_has_a_full_width_form() {
        let full: String = ",:?;!()".chars().filter_map(full_width).collect();
        assert_eq!(full, "，：？；！（）");
        assert_eq!(full_width('a'), None);
    }
}
