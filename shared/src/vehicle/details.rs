//! 维护车辆信息 (SPEC §11): what drivers keep about the car itself (plate colour, brand and
//! model, body colour, a nickname), and who may change it.
//!
//! The details belong to the plate, not to an owner: they stay when the car changes hands.
//! The plate colour matters beyond the card: WeChat Pay keys 支付分停车 on plate + colour.

use serde::{Deserialize, Serialize};

use crate::plate::{Plate, PlateClass};
use crate::vehicle::refusal::CommandError;

/// The colour of the plate itself (号牌颜色); serde spells WeChat Pay's codes (`BLUE`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlateColor {
    /// 蓝色: ordinary small cars.
    Blue,
    /// 绿色: small new-energy cars.
    Green,
    /// 黄色: large vehicles, 学 and 挂.
    Yellow,
    /// 黑色: 港 澳 领 使.
    Black,
    /// 白色: 警.
    White,
    /// 黄绿色: large new-energy vehicles.
    Limegreen,
}

impl PlateColor {
    /// Every colour, in the order the picker lists them.
    pub const ALL: [Self; 6] = [
        Self::Blue,
        Self::Green,
        Self::Yellow,
        Self::White,
        Self::Black,
        Self::Limegreen,
    ];

    /// The code WeChat Pay spells (`BLUE`…).
    pub const fn code(self) -> &'static str {
        match self {
            Self::Blue => "BLUE",
            Self::Green => "GREEN",
            Self::Yellow => "YELLOW",
            Self::Black => "BLACK",
            Self::White => "WHITE",
            Self::Limegreen => "LIMEGREEN",
        }
    }

    /// The colour's name in the app (蓝牌, 绿牌…).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Blue => "蓝牌",
            Self::Green => "绿牌",
            Self::Yellow => "黄牌",
            Self::Black => "黑牌",
            Self::White => "白牌",
            Self::Limegreen => "黄绿牌",
        }
    }

    /// The colour a plate most likely has, from its class; a driver corrects it in the details.
    pub fn of(plate: &Plate) -> Self {
        let last = plate.as_str().chars().last().unwrap_or_default();
        match plate.class() {
            PlateClass::Ordinary => Self::Blue,
            // A large new-energy plate ends in its letter (`闽D12345D`).
            PlateClass::NewEnergy if last.is_ascii_uppercase() => Self::Limegreen,
            PlateClass::NewEnergy => Self::Green,
            PlateClass::Special => match last {
                '警' => Self::White,
                '学' | '挂' => Self::Yellow,
                _ => Self::Black,
            },
        }
    }
}

/// A free text of the details, named in the refusals about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetailField {
    /// 品牌, e.g. 比亚迪.
    Brand,
    /// 车型, e.g. 汉.
    Model,
    /// 车身颜色, e.g. 白色.
    BodyColor,
    /// 车辆昵称, e.g. 小白.
    Nickname,
}

impl DetailField {
    /// The text's name, as the page and the refusal show it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Brand => "品牌",
            Self::Model => "车型",
            Self::BodyColor => "车身颜色",
            Self::Nickname => "车辆昵称",
        }
    }

    /// The most characters it may have (SPEC §11: a nickname of at most 10).
    pub const fn max_chars(self) -> usize {
        match self {
            Self::Brand | Self::Model => 20,
            Self::BodyColor | Self::Nickname => 10,
        }
    }
}

/// 车辆信息 of one plate. A blank text is kept as `None`; a missing plate colour means the
/// class's (see [`VehicleDetails::plate_color_of`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleDetails {
    /// The plate's colour when a driver corrected it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plate_color: Option<PlateColor>,
    /// 品牌.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// 车型.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// 车身颜色.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_color: Option<String>,
    /// 车辆昵称, at most 10 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
}

impl VehicleDetails {
    /// The plate's colour: the one a driver chose, else the class's.
    pub fn plate_color_of(&self, plate: &Plate) -> PlateColor {
        self.plate_color.unwrap_or_else(|| PlateColor::of(plate))
    }

    /// The card's line, from what is kept: 「比亚迪 汉 · 白色」; `None` when nothing is.
    pub fn summary(&self) -> Option<String> {
        let car: Vec<&str> = [&self.brand, &self.model]
            .into_iter()
            .filter_map(|t| t.as_deref())
            .collect();
        let parts: Vec<String> = [
            (!car.is_empty()).then(|| car.join(" ")),
            self.body_color.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Nothing kept yet.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The details as stored: texts trimmed, blank texts dropped, and a plate colour equal to
    /// the class's default dropped (so the default follows the plate's rules).
    pub fn tidy(self, plate: &Plate) -> Self {
        let text = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        Self {
            plate_color: self.plate_color.filter(|c| *c != PlateColor::of(plate)),
            brand: text(self.brand),
            model: text(self.model),
            body_color: text(self.body_color),
            nickname: text(self.nickname),
        }
    }

    /// Refuses a text longer than its field allows (surrounding spaces do not count).
    ///
    /// # Errors
    /// [`CommandError::DetailTooLong`] naming the first such field.
    pub fn check(&self) -> Result<(), CommandError> {
        let fields = [
            (DetailField::Brand, &self.brand),
            (DetailField::Model, &self.model),
            (DetailField::BodyColor, &self.body_color),
            (DetailField::Nickname, &self.nickname),
        ];
        for (what, text) in fields {
            let n = text.as_deref().map_or(0, |t| t.trim().chars().count());
            if n > what.max_chars() {
                return Err(CommandError::DetailTooLong {
                    what,
                    max: what.max_chars(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use proptest::prelude::*;

    use super::*;

    fn plate(text: &str) -> Plate {
        Plate::parse(text).unwrap()
    }

    #[test]
    fn the_plate_colour_follows_the_class_until_corrected() {
        for (text, colour) in [
            ("闽D12337", PlateColor::Blue),
            ("粤BD12345", PlateColor::Green),
            ("粤B12345D", PlateColor::Limegreen),
            ("粤B1234学", PlateColor::Yellow),
            ("粤B1234挂", PlateColor::Yellow),
            ("粤B1234警", PlateColor::White),
            ("粤Z1234港", PlateColor::Black),
            ("粤Z1234澳", PlateColor::Black),
        ] {
            let p = plate(text);
            assert_eq!(
                VehicleDetails::default().plate_color_of(&p),
                colour,
                "{text}"
            );
        }
        // A blue plate that is really yellow (a large vehicle): the driver's choice wins.
        let p = plate("闽D12337");
        let corrected = VehicleDetails {
            plate_color: Some(PlateColor::Yellow),
            ..VehicleDetails::default()
        }
        .tidy(&p);
        assert_eq!(corrected.plate_color_of(&p), PlateColor::Yellow);
        // Choosing the default again stores nothing: the plate's rules decide.
        let back = VehicleDetails {
            plate_color: Some(PlateColor::Blue),
            ..VehicleDetails::default()
        }
        .tidy(&p);
        assert!(back.is_empty());
    }

    #[test]
    fn texts_are_trimmed_and_blank_ones_cleared() {
        let p = plate("闽D12337");
        let tidy = VehicleDetails {
            plate_color: None,
            brand: Some("  比亚迪 ".into()),
            model: Some("汉".into()),
            body_color: Some("   ".into()),
            nickname: Some("小白".into()),
        }
        .tidy(&p);
        assert_eq!(tidy.brand.as_deref(), Some("比亚迪"));
        assert_eq!(tidy.model.as_deref(), Some("汉"));
        assert_eq!(tidy.body_color, None);
        assert_eq!(tidy.nickname.as_deref(), Some("小白"));
    }

    #[test]
    fn the_cards_line_names_what_is_kept() {
        let mut d = VehicleDetails::default();
        assert_eq!(d.summary(), None);
        d.body_color = Some("白色".into());
        assert_eq!(d.summary().as_deref(), Some("白色"));
        d.brand = Some("比亚迪".into());
        assert_eq!(d.summary().as_deref(), Some("比亚迪 · 白色"));
        d.model = Some("汉".into());
        assert_eq!(d.summary().as_deref(), Some("比亚迪 汉 · 白色"));
    }

    #[test]
    fn a_nickname_has_at_most_ten_characters() {
        let with = |nickname: &str| VehicleDetails {
            nickname: Some(nickname.into()),
            ..VehicleDetails::default()
        };
        assert_eq!(with("一二三四五六七八九十").check(), Ok(()));
        assert_eq!(with(" 一二三四五六七八九十 ").check(), Ok(()));
        let refused = with("一二三四五六七八九十一").check().unwrap_err();
        assert_eq!(
            refused,
            CommandError::DetailTooLong {
                what: DetailField::Nickname,
                max: 10
            }
        );
        assert_eq!(refused.message(), "车辆昵称不能超过10个字");
        assert_eq!(refused.code(), crate::api::ErrorCode::InvalidRequest);
    }

    #[test]
    fn the_api_spells_wechat_pays_codes() {
        for colour in PlateColor::ALL {
            assert_eq!(
                serde_json::to_value(colour).unwrap(),
                serde_json::json!(colour.code())
            );
        }
        let details: VehicleDetails =
            serde_json::from_str(r#"{"plate_color":"YELLOW","nickname":"小黄"}"#).unwrap();
        assert_eq!(details.plate_color, Some(PlateColor::Yellow));
        assert!(serde_json::from_str::<VehicleDetails>(r#"{"colour":"RED"}"#).is_err());
    }

    proptest! {
        #[test]
        fn tidy_is_idempotent_and_keeps_the_effective_colour(
            colour in proptest::sample::select(PlateColor::ALL.to_vec()),
            nickname in "[ 小白a-z]{0,12}",
        ) {
            let p = plate("粤B12345D");
            let details = VehicleDetails {
                plate_color: Some(colour),
                nickname: Some(nickname),
                ..VehicleDetails::default()
            };
            let once = details.clone().tidy(&p);
            prop_assert_eq!(once.clone().tidy(&p), once.clone());
            prop_assert_eq!(once.plate_color_of(&p), details.plate_color_of(&p));
        }
    }
}
