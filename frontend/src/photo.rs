//! Photos for 认证 and 申诉: scaled down in the browser (long side ≤ 1600 px, JPEG) so a phone
//! on a slow network sends ~300 KB instead of a 5 MB camera picture.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

/// Longest side of an uploaded photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// JPEG quality of the scaled photo.
const QUALITY: f64 = 0.85;

/// The size a `width`×`height` picture is scaled to: never up, long side at most [`MAX_SIDE`].
pub fn scaled_size(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_SIDE || long == 0 {
        return (width, height);
    }
    let scale = f64::from(MAX_SIDE) / f64::from(long);
    let fit = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
    (fit(width), fit(height))
}

/// The photo as a JPEG no larger than [`MAX_SIDE`]; the original if the browser cannot decode it
/// (the worker then judges it by its bytes).
pub async fn scale_down(file: &Blob) -> Blob {
    scale(file).await.unwrap_or_else(|_| file.clone())
}

async fn scale(file: &Blob) -> Result<Blob, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (w, h) = scaled_size(bitmap.width(), bitmap.height());
    let document = window.document().ok_or(JsValue::NULL)?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(w);
    canvas.set_height(h);
    let context: CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(w),
        f64::from(h),
    )?;
    let blob = Promise::new(&mut |resolve, _reject| {
        let _ = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &JsValue::from(QUALITY),
        );
    });
    JsFuture::from(blob).await?.dyn_into()
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn photos_shrink_to_1600_on_the_long_side_and_never_grow() {
        assert_eq!(scaled_size(4032, 3024), (1600, 1200));
        assert_eq!(scaled_size(3024, 4032), (1200, 1600));
        assert_eq!(scaled_size(800, 600), (800, 600));
        assert_eq!(scaled_size(1600, 10), (1600, 10));
        assert_eq!(scaled_size(16000, 1), (1600, 1));
    }
}
