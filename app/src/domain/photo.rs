//! The sizes a photo is kept in. Each is made once, when the photo is uploaded: a thumbnail for
//! lists and cards, a medium size for the event page (sharp on a 3× phone at the 240 px it is
//! shown), and the stored original (at most 2048 px) only when someone opens it.

/// One kept size of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoSize {
    Thumb,
    Medium,
    Full,
}

/// The largest a thumbnail may be; its quality is lowered until it fits.
pub const THUMB_MAX_BYTES: usize = 30 * 1024;

impl PhotoSize {
    pub const MADE: [PhotoSize; 2] = [PhotoSize::Thumb, PhotoSize::Medium];

    /// The long side in pixels (the original's limit for `Full`).
    pub fn side(self) -> u32 {
        match self {
            PhotoSize::Thumb => 320,
            PhotoSize::Medium => 960,
            PhotoSize::Full => 2048,
        }
    }

    /// JPEG quality to start from.
    pub fn quality(self) -> u8 {
        match self {
            PhotoSize::Thumb => 70,
            PhotoSize::Medium => 78,
            PhotoSize::Full => 82,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PhotoSize::Thumb => "thumb",
            PhotoSize::Medium => "medium",
            PhotoSize::Full => "full",
        }
    }

    /// `?size=`: an unknown or missing size is the original, as before sizes existed.
    pub fn from_query(q: Option<&str>) -> PhotoSize {
        match q {
            Some("thumb") => PhotoSize::Thumb,
            Some("medium") => PhotoSize::Medium,
            _ => PhotoSize::Full,
        }
    }

    /// The file of this size beside the original `photos/…/name.jpg`.
    pub fn file(self, original: &str) -> String {
        match self {
            PhotoSize::Full => original.to_string(),
            s => match original.strip_suffix(".jpg") {
                Some(stem) => format!("{stem}.{}.jpg", s.as_str()),
                None => original.to_string(),
            },
        }
    }

    pub fn url(self, photo_id: i64) -> String {
        match self {
            PhotoSize::Full => format!("/photos/{photo_id}"),
            s => format!("/photos/{photo_id}?size={}", s.as_str()),
        }
    }

    /// The pixel size of this variant of a `w`×`h` original (never larger than it).
    pub fn fit(self, w: u32, h: u32) -> (u32, u32) {
        let side = self.side();
        let long = w.max(h);
        if long <= side || long == 0 {
            return (w, h);
        }
        let scale = side as f64 / long as f64;
        let w2 = ((w as f64 * scale).round() as u32).max(1);
        let h2 = ((h as f64 * scale).round() as u32).max(1);
        (w2, h2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_sit_beside_the_original() {
        assert_eq!(
            PhotoSize::Thumb.file("photos/202612/ab.jpg"),
            "photos/202612/ab.thumb.jpg"
        );
        assert_eq!(
            PhotoSize::Medium.file("photos/202612/ab.jpg"),
            "photos/202612/ab.medium.jpg"
        );
        assert_eq!(
            PhotoSize::Full.file("photos/202612/ab.jpg"),
            "photos/202612/ab.jpg"
        );
        assert_eq!(PhotoSize::from_query(Some("thumb")), PhotoSize::Thumb);
        assert_eq!(PhotoSize::from_query(Some("../../x")), PhotoSize::Full);
        assert_eq!(PhotoSize::from_query(None), PhotoSize::Full);
        assert_eq!(PhotoSize::Medium.url(7), "/photos/7?size=medium");
    }

    #[test]
    fn fitting_keeps_the_shape_and_never_enlarges() {
        assert_eq!(PhotoSize::Thumb.fit(2048, 1536), (320, 240));
        assert_eq!(PhotoSize::Thumb.fit(1000, 4000), (80, 320));
        assert_eq!(PhotoSize::Medium.fit(640, 480), (640, 480));
        assert_eq!(PhotoSize::Thumb.fit(5000, 1), (320, 1));
    }
}
