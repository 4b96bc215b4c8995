//! Evidence photos: which files are accepted as 认证 / 申诉 evidence.

/// Largest photo accepted, in bytes (the SPA scales photos down well below this).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// The image types accepted, with the magic bytes that prove each.
const KINDS: [(&str, &[u8]); 3] = [
    ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
    (
        "image/png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
    ),
    ("image/webp", b"RIFF"),
];

/// Checks that `bytes` really are an image of the declared `Content-Type` (JPEG, PNG or WebP,
/// told by their magic bytes, not by the header alone); the canonical type to store.
///
/// # Errors
/// A Chinese message for an empty body, an unsupported type, or content that is not what it
/// claims to be.
pub fn sniff_image(declared: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("请选择要上传的照片");
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err("照片不能超过 5 MB");
    }
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((kind, magic)) = KINDS.iter().find(|(k, _)| *k == declared) else {
        return Err("仅支持 JPEG、PNG 或 WebP 格式的照片");
    };
    let webp_ok = *kind != "image/webp" || bytes.get(8..12) == Some(b"WEBP".as_slice());
    if bytes.starts_with(magic) && webp_ok {
        Ok(kind)
    } else {
        Err("照片内容与格式不符,请重新选择照片")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";

    #[test]
    fn real_images_of_the_declared_type_pass() {
        assert_eq!(sniff_image("image/jpeg", JPEG), Ok("image/jpeg"));
        assert_eq!(sniff_image("image/png", PNG), Ok("image/png"));
        assert_eq!(
            sniff_image("IMAGE/WEBP; charset=binary", WEBP),
            Ok("image/webp")
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
            sniff_image("image/gif", b"GIF89a"),
            Err("仅支持 JPEG、PNG 或 WebP 格式的照片")
        );
        assert_eq!(sniff_image("image/jpeg", b""), Err("请选择要上传的照片"));
        let mut big = JPEG.to_vec();
        big.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(sniff_image("image/jpeg", &big), Err("照片不能超过 5 MB"));
    }
}
