//! The registration methods automatic alignment was measured against, kept
//! here so the comparison in bench/RESULTS.md can be run again: phase
//! correlation alone (a shift, no turn or scale), and ECC-style intensity
//! registration (Gauss–Newton on the photometric error over a similarity,
//! inverse compositional, coarse to fine from no move). Pinpoint itself
//! uses Fourier–Mellin (`pinpoint_core::photo::align`).
//!
//! Both take the earlier and the later photo at the same size and give the
//! viewer's placement of the later one: (rotate_deg, scale, dx, dy) with
//! dx, dy as shares of the width and height.

use pinpoint_core::photo::align::Gray;
use rustfft::num_complex::Complex32;
use rustfft::FftPlanner;

/// A placement as the viewer applies it.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub rotate_deg: f64,
    pub scale: f64,
    pub dx: f64,
    pub dy: f64,
}

/// `g` halved in each direction (2 × 2 means).
fn half(g: &Gray) -> Gray {
    let (w, h) = (g.width / 2, g.height / 2);
    let mut pixels = vec![0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            let at = |xx: usize, yy: usize| g.pixels[yy * g.width + xx];
            pixels[y * w + x] = (at(2 * x, 2 * y)
                + at(2 * x + 1, 2 * y)
                + at(2 * x, 2 * y + 1)
                + at(2 * x + 1, 2 * y + 1))
                / 4.0;
        }
    }
    Gray {
        width: w,
        height: h,
        pixels,
    }
}

/// Zero mean, unit spread: a change of brightness no longer matters.
fn normalised(g: &Gray) -> Gray {
    let n = g.pixels.len() as f32;
    let mean = g.pixels.iter().sum::<f32>() / n;
    let spread = (g.pixels.iter().map(|p| (p - mean).powi(2)).sum::<f32>() / n)
        .sqrt()
        .max(1e-3);
    Gray {
        width: g.width,
        height: g.height,
        pixels: g.pixels.iter().map(|p| (p - mean) / spread).collect(),
    }
}

fn sample(g: &Gray, x: f32, y: f32) -> Option<f32> {
    if x < 0.0 || y < 0.0 || x >= (g.width - 1) as f32 || y >= (g.height - 1) as f32 {
        return None;
    }
    let (x0, y0) = (x as usize, y as usize);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |xx: usize, yy: usize| g.pixels[yy * g.width + xx];
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    Some(top * (1.0 - fy) + bottom * fy)
}

/// Phase correlation of the two photos brought to 256 px: the shift only.
pub fn phase_correlation(earlier: &Gray, later: &Gray) -> Placement {
    const N: usize = 256;
    let (mut e, mut l) = (normalised(earlier), normalised(later));
    while e.width > 2 * N || e.height > 2 * N {
        e = half(&e);
        l = half(&l);
    }
    let factor = (e.width.max(e.height) as f32 / N as f32).max(1.0);
    let grid = |g: &Gray| -> Vec<Complex32> {
        let mut out = vec![Complex32::new(0.0, 0.0); N * N];
        for y in 0..N {
            for x in 0..N {
                let (sx, sy) = (x as f32 * factor, y as f32 * factor);
                let window = ((std::f32::consts::PI * x as f32 / N as f32).sin()
                    * (std::f32::consts::PI * y as f32 / N as f32).sin())
                .powi(2);
                let v = sample(g, sx, sy).unwrap_or(0.0);
                out[y * N + x] = Complex32::new(v * window, 0.0);
            }
        }
        out
    };
    let (mut a, mut b) = (grid(&e), grid(&l));
    let mut planner = FftPlanner::<f32>::new();
    let forward = planner.plan_fft_forward(N);
    let inverse = planner.plan_fft_inverse(N);
    let fft2 = |data: &mut Vec<Complex32>, fft: &std::sync::Arc<dyn rustfft::Fft<f32>>| {
        for row in data.chunks_mut(N) {
            fft.process(row);
        }
        let mut column = vec![Complex32::new(0.0, 0.0); N];
        for x in 0..N {
            for y in 0..N {
                column[y] = data[y * N + x];
            }
            fft.process(&mut column);
            for y in 0..N {
                data[y * N + x] = column[y];
            }
        }
    };
    fft2(&mut a, &forward);
    fft2(&mut b, &forward);
    let mut cross: Vec<Complex32> = a
        .iter()
        .zip(&b)
        .map(|(p, q)| {
            let c = p * q.conj();
            c / c.norm().max(1e-9)
        })
        .collect();
    fft2(&mut cross, &inverse);
    let (peak, _) = cross
        .iter()
        .enumerate()
        .max_by(|x, y| x.1.re.total_cmp(&y.1.re))
        .expect("a grid");
    let wrap = |v: usize| {
        if v > N / 2 {
            v as f32 - N as f32
        } else {
            v as f32
        }
    };
    let (sx, sy) = (wrap(peak % N), wrap(peak / N));
    // The earlier photo's content at (x) is the later's at (x - s).
    let (w, h) = (e.width as f32, e.height as f32);
    Placement {
        rotate_deg: 0.0,
        scale: 1.0,
        dx: f64::from(sx * factor / w),
        dy: f64::from(sy * factor / h),
    }
}

/// ECC-style registration: a similarity (p, q, tx, ty) with the later
/// photo's point u (from the centre) landing at (p·u.x − q·u.y + tx,
/// q·u.x + p·u.y + ty) on the earlier, found by inverse-compositional
/// Gauss–Newton on a four-level pyramid, from no move.
pub fn intensity(earlier: &Gray, later: &Gray) -> Placement {
    let mut pyramid = vec![(normalised(earlier), normalised(later))];
    while pyramid.last().expect("a level").0.width > 240 {
        let (e, l) = pyramid.last().expect("a level");
        pyramid.push((half(e), half(l)));
    }
    // (p, q, tx, ty) at the current level's scale.
    let mut warp = [1.0f64, 0.0, 0.0, 0.0];
    for (level, (e, l)) in pyramid.iter().enumerate().rev() {
        if level + 1 < pyramid.len() {
            warp[2] *= 2.0;
            warp[3] *= 2.0;
        }
        let (cx, cy) = (l.width as f64 / 2.0, l.height as f64 / 2.0);
        // The template (the later photo): gradients, steepest descent
        // images and the Hessian, once per level.
        let mut rows = Vec::new();
        let mut hessian = [[0f64; 4]; 4];
        for y in 1..l.height - 1 {
            for x in 1..l.width - 1 {
                let at = |xx: usize, yy: usize| f64::from(l.pixels[yy * l.width + xx]);
                let gx = (at(x + 1, y) - at(x - 1, y)) / 2.0;
                let gy = (at(x, y + 1) - at(x, y - 1)) / 2.0;
                let (u, v) = (x as f64 - cx, y as f64 - cy);
                let sd = [gx * u + gy * v, -gx * v + gy * u, gx, gy];
                for i in 0..4 {
                    for j in 0..4 {
                        hessian[i][j] += sd[i] * sd[j];
                    }
                }
                rows.push((x, y, sd, at(x, y)));
            }
        }
        let Some(inverse) = invert(hessian) else {
            continue;
        };
        for _ in 0..40 {
            let [p, q, tx, ty] = warp;
            let mut step = [0f64; 4];
            for &(x, y, sd, t) in &rows {
                let (u, v) = (x as f64 - cx, y as f64 - cy);
                let (ex, ey) = (p * u - q * v + tx + cx, q * u + p * v + ty + cy);
                let Some(i) = sample(e, ex as f32, ey as f32) else {
                    continue;
                };
                let error = f64::from(i) - t;
                for k in 0..4 {
                    step[k] += sd[k] * error;
                }
            }
            let delta: Vec<f64> = (0..4)
                .map(|i| (0..4).map(|j| inverse[i][j] * step[j]).sum())
                .collect();
            // W ← W ∘ W(Δ)⁻¹, for similarities in (p, q, t) form.
            let (dp, dq) = (1.0 + delta[0], delta[1]);
            let norm = dp * dp + dq * dq;
            let (ip, iq) = (dp / norm, -dq / norm);
            let (itx, ity) = (
                -(ip * delta[2] - iq * delta[3]),
                -(iq * delta[2] + ip * delta[3]),
            );
            warp = [
                p * ip - q * iq,
                p * iq + q * ip,
                p * itx - q * ity + tx,
                q * itx + p * ity + ty,
            ];
            if delta.iter().map(|d| d.abs()).fold(0.0, f64::max) < 1e-4 {
                break;
            }
        }
    }
    let (e, _) = &pyramid[0];
    let [p, q, tx, ty] = warp;
    Placement {
        rotate_deg: q.atan2(p).to_degrees(),
        scale: (p * p + q * q).sqrt(),
        dx: tx / e.width as f64,
        dy: ty / e.height as f64,
    }
}

/// The inverse of a 4 × 4 matrix (Gauss–Jordan), if it has one.
fn invert(m: [[f64; 4]; 4]) -> Option<[[f64; 4]; 4]> {
    let mut a = [[0f64; 8]; 4];
    for i in 0..4 {
        a[i][..4].copy_from_slice(&m[i]);
        a[i][4 + i] = 1.0;
    }
    for col in 0..4 {
        let pivot = (col..4).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let d = a[col][col];
        for v in &mut a[col] {
            *v /= d;
        }
        let pivot_row = a[col];
        for (row, values) in a.iter_mut().enumerate() {
            if row != col {
                let f = values[col];
                for (v, p) in values.iter_mut().zip(pivot_row) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut out = [[0f64; 4]; 4];
    for i in 0..4 {
        out[i].copy_from_slice(&a[i][4..]);
    }
    Some(out)
}
