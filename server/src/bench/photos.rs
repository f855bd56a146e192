//! Photo sizes: what a phone's camera photo becomes at upload, in bytes and pixels per size,
//! and how long making all sizes takes. The test image is a camera-like 4000×3000 frame (smooth
//! light, edges and fine grain), not a flat colour that would compress to nothing.

use std::time::Instant;

use app::domain::photo::PhotoSize;

fn camera_like(w: u32, h: u32) -> Vec<u8> {
    let mut seed = 12_345u32;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = (seed >> 24) as i32 % 24 - 12;
        let sky = (y as f32 / h as f32 * 120.0) as i32;
        let wall = if (x / 180 + y / 140) % 2 == 0 { 60 } else { 0 };
        let c = |v: i32| (v + grain).clamp(0, 255) as u8;
        image::Rgb([
            c(90 + sky + wall),
            c(120 + sky / 2 + wall),
            c(160 - sky / 3),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .expect("encode");
    out
}

pub fn run() -> anyhow::Result<()> {
    let src = camera_like(4000, 3000);
    println!(
        "photo sizes (a 4000×3000 camera-like JPEG of {} KiB):",
        src.len() / 1024
    );
    let t = Instant::now();
    let enc = crate::http::photos::encode(&src).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let ms = t.elapsed().as_millis();
    println!(
        "  full    {:>4}×{:<4} {:>6.1} KiB",
        enc.width,
        enc.height,
        enc.jpeg.len() as f64 / 1024.0
    );
    for (size, bytes) in &enc.sizes {
        let (w, h) = size.fit(enc.width, enc.height);
        let note = if *size == PhotoSize::Thumb {
            format!(
                " (budget {} KiB)",
                app::domain::photo::THUMB_MAX_BYTES / 1024
            )
        } else {
            String::new()
        };
        println!(
            "  {:<7} {:>4}×{:<4} {:>6.1} KiB{note}",
            size.as_str(),
            w,
            h,
            bytes.len() as f64 / 1024.0
        );
    }
    println!("  decoding, righting and making all sizes: {ms} ms");
    Ok(())
}
