//! The check-in QR code shown beside the room's six-digit code: it opens `/party` with the code
//! filled in, so a member scans, checks and presses 签到 instead of typing. Drawn by the server
//! as one SVG path, so the browser needs no QR code of its own.

use qrcode::{Color, EcLevel, QrCode};

use super::types::QrImage;

/// The blank margin scanners need around the code, in modules.
const QUIET: usize = 4;

/// `None` only for text too long for any QR code (a check-in link never is).
pub fn draw(text: &str) -> Option<QrImage> {
    // M: a phone held at an angle to a projected slide still reads it.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let w = code.width();
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    let mut path = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if !dark[y * w + x] {
                x += 1;
                continue;
            }
            // One rectangle per run of dark modules keeps the path short.
            let start = x;
            while x < w && dark[y * w + x] {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET));
        }
    }
    Some(QrImage {
        size: (w + 2 * QUIET) as u32,
        path,
    })
}

/// The link a member's phone opens.
pub fn link(site: &str, code: &str) -> String {
    format!("{}/party?code={code}", site.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules the path paints, read back from its `M x yhNv1h-Nz` runs.
    fn modules(q: &QrImage) -> Vec<bool> {
        let n = q.size as usize;
        let mut grid = vec![false; n * n];
        for run in q.path.split('M').filter(|s| !s.is_empty()) {
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            for i in x..x + len {
                grid[y * n + i] = true;
            }
        }
        grid
    }

    #[test]
    fn a_phone_reads_the_link_back() {
        let url = link("https://lianxin.example.cn/", "042917");
        assert_eq!(url, "https://lianxin.example.cn/party?code=042917");
        let q = draw(&url).unwrap();
        let grid = modules(&q);
        let n = q.size as usize;
        // Four pixels a module, as a camera would see a printed code.
        let scale = 4;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(n * scale, n * scale, |x, y| {
            if grid[(y / scale) * n + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, text) = grids[0].decode().unwrap();
        assert_eq!(text, url);
        // The margin is blank.
        assert!((0..n).all(|i| !grid[i] && !grid[(n - 1) * n + i]));
    }
}
