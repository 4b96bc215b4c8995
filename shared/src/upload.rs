//! Evidence photos: which files are accepted as 认证 / 申诉 evidence.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;

/// Largest photo accepted, in bytes (the SPA scales photos down well below this).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// An image type accepted as evidence, proven by the file's magic bytes; serialised as its
/// `Content-Type` (as stored in D1 and R2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageType {
    /// A JPEG photo (what phone cameras take).
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// A PNG image (screenshots).
    #[serde(rename = "image/png")]
    Png,
    /// A WebP image.
    #[serde(rename = "image/webp")]
    Webp,
}

impl ImageType {
    /// Every accepted type.
    pub const ALL: [Self; 3] = [Self::Jpeg, Self::Png, Self::Webp];

    /// The canonical `Content-Type`, e.g. `image/jpeg`.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// The bytes a file of this type starts with.
    const fn magic(self) -> &'static [u8] {
        match self {
            Self::Jpeg => &[0xFF, 0xD8, 0xFF],
            Self::Png => &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
            Self::Webp => b"RIFF",
        }
    }

    /// Whether `bytes` are a file of this type: the magic number (and for WebP, whose RIFF
    /// header other formats share, the `WEBP` form type too).
    fn matches(self, bytes: &[u8]) -> bool {
        let form_ok = self != Self::Webp || bytes.get(8..12) == Some(b"WEBP".as_slice());
        bytes.starts_with(self.magic()) && form_ok
    }
}

/// Why a file is not accepted as evidence; the message says in Chinese what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Nothing was uploaded.
    #[error("请选择要上传的照片")]
    Empty,
    /// Larger than [`MAX_UPLOAD_BYTES`].
    #[error("照片不能超过 {} MB", MAX_UPLOAD_BYTES / 1024 / 1024)]
    TooLarge,
    /// A declared type other than JPEG, PNG or WebP.
    #[error("仅支持 JPEG、PNG 或 WebP 格式的照片")]
    Unsupported,
    /// The bytes are not what the declared type claims (a renamed file, a script).
    #[error("照片内容与格式不符，请重新选择照片")]
    Mismatch,
}

impl ImageError {
    /// The API error code for every refused photo: `invalid_request`.
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::InvalidRequest
    }
}

/// Checks that `bytes` really are an image of the declared `Content-Type` (JPEG, PNG or WebP,
/// told by their magic bytes, not by the header alone); the type to store.
///
/// # Errors
/// An [`ImageError`] for an empty body, an oversized one, an unsupported type, or content that
/// is not what it claims to be.
pub fn sniff_image(declared: &str, bytes: &[u8]) -> Result<ImageType, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImageError::TooLarge);
    }
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some(kind) = ImageType::ALL
        .into_iter()
        .find(|k| k.content_type() == declared)
    else {
        return Err(ImageError::Unsupported);
    };
    if kind.matches(bytes) {
        Ok(kind)
    } else {
        Err(ImageError::Mismatch)
    }
}

/// Who may see an evidence photo: its uploader, and operators once a certification or appeal
/// cites it (a photo never put up for review is its uploader's alone).
pub const fn may_read_evidence(uploader: bool, operator: bool, cited: bool) -> bool {
    uploader || (operator && cited)
}

/// The start of a JPEG's image data (Start Of Scan): no metadata segment comes after it.
const SOS: u8 = 0xDA;
/// The first and last application segment (APP0..APP15); APP0 is JFIF, the rest carry
/// metadata (APP1: EXIF with GPS position and camera serial, XMP; APP13: IPTC; …).
const APP0: u8 = 0xE0;
const APP15: u8 = 0xEF;
/// A comment segment.
const COM: u8 = 0xFE;

/// The photo as it is stored: a JPEG loses its metadata segments (every APPn but JFIF's APP0,
/// and comments), so no GPS position or camera serial is kept, whatever the client did. Other
/// types and anything the header walk cannot read are kept as they are (decoders read metadata
/// only from well-formed headers).
pub fn strip_metadata(kind: ImageType, bytes: &[u8]) -> Vec<u8> {
    if kind != ImageType::Jpeg || !bytes.starts_with(&[0xFF, 0xD8]) {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    while let [0xFF, marker, hi, lo, ..] = bytes[at..] {
        if marker == SOS || marker == 0xFF || marker == 0x00 {
            break;
        }
        let end = at + 2 + usize::from(u16::from_be_bytes([hi, lo]));
        if end > bytes.len() {
            break;
        }
        let metadata = (APP0 + 1..=APP15).contains(&marker) || marker == COM;
        if !metadata {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use rstest::rstest;

    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";

    #[test]
    fn real_images_of_the_declared_type_pass() {
        assert_eq!(sniff_image("image/jpeg", JPEG), Ok(ImageType::Jpeg));
        assert_eq!(sniff_image("image/png", PNG), Ok(ImageType::Png));
        assert_eq!(
            sniff_image("IMAGE/WEBP; charset=binary", WEBP),
            Ok(ImageType::Webp)
        );
    }

    #[test]
    fn a_file_that_lies_about_its_type_is_refused() {
        assert!(sniff_image("image/png", JPEG).is_err());
        assert!(sniff_image("image/jpeg", b"<svg onload=alert(1)>").is_err());
        assert!(sniff_image("image/webp", b"RIFF\x24\0\0\0WAVEfmt ").is_err());
    }

    #[test]
    fn other_types_empty_and_oversized_bodies_are_refused() {
        assert_eq!(
            sniff_image("image/gif", b"GIF89a").map_err(|e| e.to_string()),
            Err("仅支持 JPEG、PNG 或 WebP 格式的照片".to_owned())
        );
        assert_eq!(
            sniff_image("image/jpeg", b"").map_err(|e| e.to_string()),
            Err("请选择要上传的照片".to_owned())
        );
        let mut big = JPEG.to_vec();
        big.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(
            sniff_image("image/jpeg", &big).map_err(|e| e.to_string()),
            Err("照片不能超过 5 MB".to_owned())
        );
    }

    #[rstest]
    #[case::empty("image/jpeg", b"", ImageError::Empty, "请选择要上传的照片")]
    #[case::gif(
        "image/gif",
        b"GIF89a",
        ImageError::Unsupported,
        "仅支持 JPEG、PNG 或 WebP 格式的照片"
    )]
    #[case::no_type(
        "",
        JPEG,
        ImageError::Unsupported,
        "仅支持 JPEG、PNG 或 WebP 格式的照片"
    )]
    #[case::png_claiming_jpeg(
        "image/jpeg",
        PNG,
        ImageError::Mismatch,
        "照片内容与格式不符，请重新选择照片"
    )]
    #[case::wave_claiming_webp(
        "image/webp",
        b"RIFF\x24\0\0\0WAVEfmt ",
        ImageError::Mismatch,
        "照片内容与格式不符，请重新选择照片"
    )]
    #[case::truncated_riff(
        "image/webp",
        b"RIFF",
        ImageError::Mismatch,
        "照片内容与格式不符，请重新选择照片"
    )]
    fn each_refusal_has_its_message_and_the_request_code(
        #[case] declared: &str,
        #[case] bytes: &[u8],
        #[case] error: ImageError,
        #[case] message: &str,
    ) {
        let refused = sniff_image(declared, bytes).unwrap_err();
        assert_eq!(refused, error);
        assert_eq!(refused.to_string(), message);
        assert_eq!(refused.code().as_str(), "invalid_request");
    }

    #[test]
    fn too_large_names_the_limit_in_megabytes() {
        assert_eq!(ImageError::TooLarge.to_string(), "照片不能超过 5 MB");
    }

    #[rstest]
    #[case::jpeg(ImageType::Jpeg, "image/jpeg")]
    #[case::png(ImageType::Png, "image/png")]
    #[case::webp(ImageType::Webp, "image/webp")]
    fn each_type_is_stored_as_its_content_type(#[case] kind: ImageType, #[case] text: &str) {
        assert_eq!(kind.content_type(), text);
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<ImageType>(&json).unwrap(), kind);
        assert_eq!(sniff_image(text, kind.magic_sample()), Ok(kind));
    }

    impl ImageType {
        /// The smallest bytes that pass as this type.
        fn magic_sample(self) -> &'static [u8] {
            match self {
                Self::Jpeg => JPEG,
                Self::Png => PNG,
                Self::Webp => WEBP,
            }
        }
    }

    #[test]
    fn other_content_types_are_not_image_types() {
        assert!(serde_json::from_str::<ImageType>("\"image/gif\"").is_err());
    }

    /// A JPEG header: SOI, then each segment as (marker, payload).
    fn jpeg(segments: &[(u8, &[u8])], image: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        for (marker, payload) in segments {
            bytes.extend_from_slice(&[0xFF, *marker]);
            bytes.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
            bytes.extend_from_slice(payload);
        }
        bytes.extend_from_slice(image);
        bytes
    }

    #[test]
    fn exif_xmp_iptc_and_comments_are_stripped_and_the_image_kept() {
        let exif = b"Exif\0\0GPS 24.48N 118.08E";
        let image = [0xFF, 0xDA, 0x00, 0x04, 1, 2, 3, 0xFF, 0xE1, 9, 0xFF, 0xD9];
        let photo = jpeg(
            &[
                (0xE0, b"JFIF\0\x01\x01"),
                (0xE1, exif),
                (0xED, b"Photoshop 3.0 IPTC"),
                (0xFE, b"taken by 13800000001"),
                (0xDB, &[0; 65]),
                (0xE2, b"ICC_PROFILE"),
                (0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            ],
            &image,
        );
        let stripped = strip_metadata(ImageType::Jpeg, &photo);
        let expected = jpeg(
            &[
                (0xE0, b"JFIF\0\x01\x01"),
                (0xDB, &[0; 65]),
                (0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            ],
            &image,
        );
        assert_eq!(stripped, expected);
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("GPS") && !text.contains("13800000001"));
        // Bytes that look like a marker inside the image data are the image: kept.
        assert!(stripped.ends_with(&image));
    }

    #[rstest]
    #[case::png(ImageType::Png, PNG)]
    #[case::webp(ImageType::Webp, WEBP)]
    #[case::truncated_segment(ImageType::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, b'E'])]
    #[case::no_marker_after_soi(ImageType::Jpeg, &[0xFF, 0xD8, 0x00, 0x01, 0x02])]
    fn what_the_walk_cannot_read_is_kept_as_it_is(#[case] kind: ImageType, #[case] bytes: &[u8]) {
        assert_eq!(strip_metadata(kind, bytes), bytes);
    }

    #[test]
    fn stripping_is_idempotent_and_never_panics_on_short_input() {
        for len in 0..JPEG.len() {
            let once = strip_metadata(ImageType::Jpeg, &JPEG[..len]);
            assert_eq!(strip_metadata(ImageType::Jpeg, &once), once);
        }
    }

    #[test]
    fn operators_see_only_photos_put_up_for_review() {
        assert!(
            may_read_evidence(true, false, false),
            "the uploader, always"
        );
        assert!(
            may_read_evidence(false, true, true),
            "an operator, once cited"
        );
        assert!(
            !may_read_evidence(false, true, false),
            "an operator, never before"
        );
        assert!(
            !may_read_evidence(false, false, true),
            "another user, never"
        );
    }
}
