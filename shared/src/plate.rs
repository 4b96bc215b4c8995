//! Licence plates (SPEC §2): the one way to turn what a user typed into a [`Plate`].
//!
//! The normalised text is the identity of a vehicle everywhere (the Durable Object name, D1 keys,
//! the API), so normalisation and classification live here and nowhere else.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;
use crate::parsed::parsed_text;

/// Province abbreviations that open a civil plate (GA 36-2018).
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// Suffixes of special plates: trailer, learner, police, Hong Kong, Macau, consulate.
pub const SPECIAL_SUFFIXES: &str = "挂学警港澳领";

/// The prefix of embassy plates (`使014578`).
const EMBASSY: char = '使';

/// First serial letter of a small new-energy plate: D A B C E pure electric, F G H J K other.
const SMALL_NEW_ENERGY_FIRST: &str = "DABCEFGHJK";

/// Trailing letter of a large new-energy plate.
const LARGE_NEW_ENERGY_LAST: &str = "DFGHJK";

/// A valid, normalised licence plate, e.g. `闽D12337`; obtained only from [`Plate::parse`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Plate {
    text: String,
    class: PlateClass,
    vehicle_type: VehicleType,
    standard: bool,
}

/// The kind of plate a car carries, as shown to and filtered by users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlateClass {
    /// An ordinary blue/yellow plate with a 5-character serial (`闽D12337`).
    Ordinary,
    /// A green new-energy plate with a 6-character serial (`闽DD12345`, `闽D12345D`).
    NewEnergy,
    /// A special plate: 挂 学 警 港 澳 领 suffix or an embassy 使 plate.
    Special,
}

/// The vehicle type shown on the card: 小汽车 or 能源车.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VehicleType {
    /// 小汽车: a fuel car.
    #[serde(rename = "小汽车")]
    Car,
    /// 能源车: a new-energy car (every 8-character plate).
    #[serde(rename = "能源车")]
    NewEnergy,
}

impl VehicleType {
    /// The label shown to users: 小汽车 or 能源车.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Car => "小汽车",
            Self::NewEnergy => "能源车",
        }
    }
}

/// Why a typed plate is not accepted; the message says in Chinese what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlateError {
    /// Nothing was typed (or only spaces and separators).
    #[error("空车牌：请输入车牌号")]
    Empty,
    /// The first character is not a province abbreviation (nor 使).
    #[error("未知省份简称：{0}")]
    UnknownProvince(char),
    /// The plate starts with a letter or digit: the province abbreviation is missing.
    #[error("未知省份简称：车牌应以省份简称开头，如闽D12337")]
    MissingProvince,
    /// The second character (the issuing authority) is not a letter.
    #[error("发牌机关代号应为字母，不能是{0}")]
    BadAuthority(char),
    /// The plate contains the letter I or O, which plates never use.
    #[error("不能包含字母I或O")]
    ForbiddenLetter,
    /// A character that no plate contains (punctuation, emoji, a Chinese character mid-plate…).
    #[error("车牌包含无效字符：{0}")]
    BadCharacter(char),
    /// Too short or too long; holds the number of characters after normalisation.
    #[error("长度不对：车牌应为7位（新能源车牌8位），当前为{0}位")]
    BadLength(usize),
}

impl PlateError {
    /// The API error code for every plate error: `invalid_plate`.
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::InvalidPlate
    }
}

/// Normalises typed text: trims, drops spaces (also full-width) and separators (`·` `•` `・` `.`
/// `-` and the like), turns full-width letters and digits half-width, and upper-cases letters.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .map(to_half_width)
        .filter(|c| !c.is_whitespace() && !is_separator(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Full-width ASCII forms (U+FF01..U+FF5E) map to ASCII; the ideographic space to a space.
fn to_half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Separators people type between the authority letter and the serial (`闽D·12337`).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '・' | '‧' | '∙' | '⋅' | '.' | '-' | '‐' | '‑' | '‒' | '–' | '—' | '_'
    )
}

fn is_serial_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

impl Plate {
    /// Normalises and checks a typed plate; accepts real plates and lenient "non-standard" ones.
    ///
    /// # Errors
    /// A [`PlateError`] naming what is wrong: empty, unknown province, bad length, I or O, or a
    /// character no plate has.
    pub fn parse(input: &str) -> Result<Self, PlateError> {
        let text = normalize(input);
        let chars: Vec<char> = text.chars().collect();
        let Some(&first) = chars.first() else {
            return Err(PlateError::Empty);
        };
        if chars.iter().any(|c| matches!(c, 'I' | 'O')) {
            return Err(PlateError::ForbiddenLetter);
        }
        let (class, standard) = if first == EMBASSY {
            classify_embassy(&chars[1..])?
        } else if PROVINCES.contains(first) {
            classify_civil(&chars)?
        } else if first.is_ascii_alphanumeric() {
            return Err(PlateError::MissingProvince);
        } else {
            return Err(PlateError::UnknownProvince(first));
        };
        // Eight characters mean a new-energy car, standard or not (SPEC §2).
        let vehicle_type = if class == PlateClass::NewEnergy || chars.len() == 8 {
            VehicleType::NewEnergy
        } else {
            VehicleType::Car
        };
        Ok(Self {
            text,
            class,
            vehicle_type,
            standard,
        })
    }

    /// The normalised plate text, the vehicle's identity (`闽D12337`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Ordinary, new-energy or special.
    pub const fn class(&self) -> PlateClass {
        self.class
    }

    /// 小汽车 or 能源车, as shown on the card.
    pub const fn vehicle_type(&self) -> VehicleType {
        self.vehicle_type
    }

    /// False for a plate of the right shape that breaks a finer rule: the add page warns and
    /// asks the user to confirm.
    pub const fn is_standard(&self) -> bool {
        self.standard
    }

    /// A plate to add: readable, and standard or confirmed by the user (SPEC §2).
    ///
    /// # Errors
    /// [`AddPlateError::Invalid`] for an unreadable plate, [`AddPlateError::Unconfirmed`] for a
    /// non-standard one the user has not confirmed.
    pub fn parse_to_add(input: &str, confirmed: bool) -> Result<Self, AddPlateError> {
        let plate = Self::parse(input).map_err(AddPlateError::Invalid)?;
        if plate.is_standard() || confirmed {
            Ok(plate)
        } else {
            Err(AddPlateError::Unconfirmed)
        }
    }
}

/// Characters a plate has on the add page's keyboard: 7, or 8 with 新能源 on.
pub const fn input_len(new_energy: bool) -> usize {
    if new_energy {
        8
    } else {
        7
    }
}

/// Why a plate cannot be added as typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddPlateError {
    /// Not a plate at all.
    #[error("{0}")]
    Invalid(PlateError),
    /// A non-standard plate the user has not confirmed.
    #[error("{}", crate::notice::NONSTANDARD_WARNING)]
    Unconfirmed,
}

impl AddPlateError {
    /// `invalid_plate` or `nonstandard_plate`.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(e) => e.code(),
            Self::Unconfirmed => ErrorCode::NonstandardPlate,
        }
    }
}

/// `使` + six digits (embassy code and sequence).
fn classify_embassy(rest: &[char]) -> Result<(PlateClass, bool), PlateError> {
    if let Some(&bad) = rest.iter().find(|c| !c.is_ascii_digit()) {
        return Err(PlateError::BadCharacter(bad));
    }
    if rest.len() != 6 {
        return Err(PlateError::BadLength(rest.len() + 1));
    }
    Ok((PlateClass::Special, true))
}

/// Province + authority letter + serial (+ special suffix).
fn classify_civil(chars: &[char]) -> Result<(PlateClass, bool), PlateError> {
    let Some(&authority) = chars.get(1) else {
        return Err(PlateError::BadLength(chars.len()));
    };
    if !authority.is_ascii_uppercase() {
        return Err(PlateError::BadAuthority(authority));
    }
    let serial = &chars[2..];
    if let Some((&last, body)) = serial.split_last() {
        if SPECIAL_SUFFIXES.contains(last) {
            if let Some(&bad) = body.iter().find(|c| !is_serial_char(**c)) {
                return Err(PlateError::BadCharacter(bad));
            }
            if body.len() != 4 {
                return Err(PlateError::BadLength(chars.len()));
            }
            return Ok((PlateClass::Special, true));
        }
    }
    if let Some(&bad) = serial.iter().find(|c| !is_serial_char(**c)) {
        return Err(PlateError::BadCharacter(bad));
    }
    match serial.len() {
        5 => Ok((PlateClass::Ordinary, true)),
        6 => Ok((PlateClass::NewEnergy, is_new_energy_serial(serial))),
        _ => Err(PlateError::BadLength(chars.len())),
    }
}

/// Small (`D1234` after a D…K letter) or large (five digits, then D F G H J K).
fn is_new_energy_serial(serial: &[char]) -> bool {
    let small =
        SMALL_NEW_ENERGY_FIRST.contains(serial[0]) && serial[2..].iter().all(char::is_ascii_digit);
    let large =
        serial[..5].iter().all(char::is_ascii_digit) && LARGE_NEW_ENERGY_LAST.contains(serial[5]);
    small || large
}

parsed_text!(Plate, text, PlateError);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case::seed_ordinary("闽D12337", "闽D12337", PlateClass::Ordinary, VehicleType::Car, true)]
    #[case::seed_uncertified("闽D12333", "闽D12333", PlateClass::Ordinary, VehicleType::Car, true)]
    #[case::small_new_energy_d(
        "闽DD12345",
        "闽DD12345",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::large_new_energy(
        "闽D12345D",
        "闽D12345D",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::a_series_new_energy(
        "苏AA12345",
        "苏AA12345",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::e_series_new_energy(
        "沪AE22075",
        "沪AE22075",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::f_other_new_energy(
        "粤BFA1234",
        "粤BFA1234",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::hong_kong("粤Z1234港", "粤Z1234港", PlateClass::Special, VehicleType::Car, true)]
    #[case::police("川A0001警", "川A0001警", PlateClass::Special, VehicleType::Car, true)]
    #[case::consulate("沪A1234领", "沪A1234领", PlateClass::Special, VehicleType::Car, true)]
    #[case::macau("粤Z1234澳", "粤Z1234澳", PlateClass::Special, VehicleType::Car, true)]
    #[case::trailer("鲁A1234挂", "鲁A1234挂", PlateClass::Special, VehicleType::Car, true)]
    #[case::learner("京A1234学", "京A1234学", PlateClass::Special, VehicleType::Car, true)]
    #[case::embassy("使014578", "使014578", PlateClass::Special, VehicleType::Car, true)]
    #[case::seed_nonstandard_345(
        "闽D123345",
        "闽D123345",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        false
    )]
    #[case::seed_nonstandard_456(
        "闽D123456",
        "闽D123456",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        false
    )]
    #[case::wechat_example(
        "粤B888888",
        "粤B888888",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        false
    )]
    #[case::lower_case_and_dot(
        " 闽d·12337 ",
        "闽D12337",
        PlateClass::Ordinary,
        VehicleType::Car,
        true
    )]
    #[case::full_width(
        "闽Ｄ１２３３７",
        "闽D12337",
        PlateClass::Ordinary,
        VehicleType::Car,
        true
    )]
    #[case::full_width_space_bullet(
        "闽\u{3000}•dd12345",
        "闽DD12345",
        PlateClass::NewEnergy,
        VehicleType::NewEnergy,
        true
    )]
    #[case::hyphen("闽D-12337", "闽D12337", PlateClass::Ordinary, VehicleType::Car, true)]
    fn accepts(
        #[case] input: &str,
        #[case] text: &str,
        #[case] class: PlateClass,
        #[case] vehicle_type: VehicleType,
        #[case] standard: bool,
    ) {
        let plate = Plate::parse(input).unwrap();
        assert_eq!(plate.as_str(), text);
        assert_eq!(plate.class(), class);
        assert_eq!(plate.vehicle_type(), vehicle_type);
        assert_eq!(plate.is_standard(), standard);
    }

    #[rstest]
    #[case::empty("", PlateError::Empty, "空车牌")]
    #[case::only_separators(" · ", PlateError::Empty, "空车牌")]
    #[case::unknown_province("港A12345", PlateError::UnknownProvince('港'), "未知省份简称")]
    #[case::missing_province("D12337", PlateError::MissingProvince, "未知省份简称")]
    #[case::too_short("闽D1234", PlateError::BadLength(6), "长度不对")]
    #[case::too_long("闽D1234567", PlateError::BadLength(9), "长度不对")]
    #[case::province_only("闽", PlateError::BadLength(1), "长度不对")]
    #[case::letter_i("闽DI2337", PlateError::ForbiddenLetter, "不能包含字母I或O")]
    #[case::letter_o_lower("闽Do2337", PlateError::ForbiddenLetter, "不能包含字母I或O")]
    #[case::bad_char("闽D12#37", PlateError::BadCharacter('#'), "无效字符")]
    #[case::digit_authority("闽112337", PlateError::BadAuthority('1'), "发牌机关")]
    #[case::special_bad_length("粤Z12345港", PlateError::BadLength(8), "长度不对")]
    #[case::embassy_letters("使01A578", PlateError::BadCharacter('A'), "无效字符")]
    #[case::embassy_short("使01457", PlateError::BadLength(6), "长度不对")]
    fn rejects(#[case] input: &str, #[case] error: PlateError, #[case] message_part: &str) {
        let got = Plate::parse(input).unwrap_err();
        assert_eq!(got, error);
        assert!(got.to_string().contains(message_part), "{got}");
        assert_eq!(got.code().as_str(), "invalid_plate");
    }

    #[test]
    fn serde_uses_the_normalised_text_and_parses_on_the_way_in() {
        let plate = Plate::parse("闽d 12337").unwrap();
        assert_eq!(serde_json::to_string(&plate).unwrap(), "\"闽D12337\"");
        let back: Plate = serde_json::from_str("\"闽d·12337\"").unwrap();
        assert_eq!(back, plate);
        assert!(serde_json::from_str::<Plate>("\"闽DI2337\"").is_err());
        assert_eq!(
            serde_json::to_string(&VehicleType::NewEnergy).unwrap(),
            "\"能源车\""
        );
        assert_eq!(
            serde_json::to_string(&PlateClass::NewEnergy).unwrap(),
            "\"new_energy\""
        );
    }

    fn plate_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('闽'),
                Just('使'),
                Just('港'),
                Just('·'),
                Just(' '),
                Just('\u{3000}'),
                Just('Ｄ'),
                Just('o'),
                proptest::char::range('0', '9'),
                proptest::char::range('A', 'Z'),
                proptest::char::range('a', 'z'),
                proptest::char::any(),
            ],
            0..12,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in ".*") {
            let _ = Plate::parse(&input);
        }

        #[test]
        fn parse_is_idempotent(input in plate_like()) {
            if let Ok(plate) = Plate::parse(&input) {
                prop_assert_eq!(Plate::parse(plate.as_str()), Ok(plate.clone()));
                prop_assert_eq!(normalize(plate.as_str()), plate.as_str());
            }
        }
    }
}

#[cfg(test)]
mod add_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::standard("闽D12337", false, Ok("闽D12337"))]
    #[case::nonstandard_confirmed("闽D123345", true, Ok("闽D123345"))]
    #[case::nonstandard_unconfirmed("闽D123345", false, Err(ErrorCode::NonstandardPlate))]
    #[case::unreadable_even_confirmed("闽I12337", true, Err(ErrorCode::InvalidPlate))]
    fn only_a_confirmed_or_standard_plate_is_added(
        #[case] typed: &str,
        #[case] confirmed: bool,
        #[case] expected: Result<&str, ErrorCode>,
    ) {
        let added = Plate::parse_to_add(typed, confirmed);
        assert_eq!(
            added
                .as_ref()
                .map(Plate::as_str)
                .map_err(AddPlateError::code),
            expected
        );
    }

    #[test]
    fn the_keyboard_takes_seven_or_eight_characters() {
        assert_eq!(input_len(false), 7);
        assert_eq!(input_len(true), 8);
        // Every length the keyboard allows is one a plate can have.
        assert!(Plate::parse("闽D12337").is_ok());
        assert!(Plate::parse("闽DD12345").is_ok());
    }
}
