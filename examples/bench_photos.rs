//! Writes synthetic phone photos for `benches/photos-site.sh` and `benches/photos.sh`: JPEGs the size a phone takes
//! (4032 × 3024, every other one upright 3024 × 4032), at a phone's JPEG quality.
//!
//!     cargo run --release --example bench_photos -- OUT_DIR [COUNT]
//!
//! A flat gradient compresses to almost nothing and would flatter the image stage and the
//! page weight; these carry what makes a real photo heavy: broad shading, shapes with
//! sharp edges, and sensor-like grain. The output depends on COUNT alone (a fixed seed),
//! so two runs write identical files.

use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// A phone camera's frame, landscape.
const LONG: u32 = 4032;
const SHORT: u32 = 3024;
/// Phone cameras save JPEGs at about this quality.
const QUALITY: u8 = 90;

/// A small deterministic generator (xorshift64*), so no crate is needed for randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// A disc of one colour: the photo's "objects", which give it edges.
struct Disc {
    x: f32,
    y: f32,
    r: f32,
    colour: [f32; 3],
}

/// One photo: shading from a few broad waves per channel, discs with hard edges, grain.
fn photo(index: u64, width: u32, height: u32) -> RgbImage {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (index + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let waves: Vec<[f32; 4]> = (0..9)
        .map(|_| {
            [
                rng.unit() * 6.0 + 0.5,
                rng.unit() * 6.0 + 0.5,
                rng.unit() * std::f32::consts::TAU,
                rng.unit() * 40.0 + 10.0,
            ]
        })
        .collect();
    let base = [
        rng.unit() * 120.0 + 60.0,
        rng.unit() * 120.0 + 60.0,
        rng.unit() * 120.0 + 60.0,
    ];
    let discs: Vec<Disc> = (0..24)
        .map(|_| Disc {
            x: rng.unit() * width as f32,
            y: rng.unit() * height as f32,
            r: (rng.unit() * 0.15 + 0.03) * width as f32,
            colour: [
                rng.unit() * 200.0 + 30.0,
                rng.unit() * 200.0 + 30.0,
                rng.unit() * 200.0 + 30.0,
            ],
        })
        .collect();
    let mut grain = Rng(rng.next() | 1);
    RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
        let mut pixel = base;
        for (channel, value) in pixel.iter_mut().enumerate() {
            for wave in &waves[channel * 3..channel * 3 + 3] {
                *value += wave[3] * (wave[0] * u * 6.3 + wave[1] * v * 6.3 + wave[2]).sin();
            }
        }
        // The last disc that covers the pixel wins, shaded towards its rim.
        for disc in discs.iter().rev() {
            let d = ((x as f32 - disc.x).powi(2) + (y as f32 - disc.y).powi(2)).sqrt();
            if d < disc.r {
                let shade = 1.0 - 0.35 * d / disc.r;
                for (value, colour) in pixel.iter_mut().zip(disc.colour) {
                    *value = colour * shade;
                }
                break;
            }
        }
        // Grain: about ±6 levels, as a phone's sensor leaves after its own denoising.
        let noise = (grain.unit() + grain.unit() + grain.unit() - 1.5) * 8.0;
        Rgb(pixel.map(|value| (value + noise).clamp(0.0, 255.0) as u8))
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_photos OUT_DIR [COUNT]");
        std::process::exit(2);
    };
    let count: u64 = match args.next().map(|n| n.parse()) {
        None => 6,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("COUNT: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("create {}: {e}", out.display());
        std::process::exit(1);
    }
    for index in 0..count {
        let (width, height) = if index % 2 == 0 {
            (LONG, SHORT)
        } else {
            (SHORT, LONG)
        };
        let path = out.join(format!("photo-{}.jpg", index + 1));
        let mut bytes = Vec::new();
        let written = photo(index, width, height)
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, QUALITY))
            .map_err(|e| e.to_string())
            .and_then(|()| std::fs::write(&path, &bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("write {}: {e}", path.display());
            std::process::exit(1);
        }
        println!("{} {width}x{height} {} bytes", path.display(), bytes.len());
    }
}
