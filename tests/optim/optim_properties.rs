//! Property tests (quickcheck): raw f64 draws are mapped into bounded boxes (quickcheck's floats
//! include NaN, ±inf and huge exponents) and the properties checked on the result.

use dualgrad::optim::{
    AdamConfig, Cosine, Exponential, Lbfgs, Newton, Optimizer, Schedule, SecondOrderStep,
    StepDecay, Warmup, clip_by_global_norm,
};
use nalgebra::{SMatrix, SVector};
use quickcheck::quickcheck;

/// Map any f64 into [lo, hi] (NaN and infinities included).
fn squash(v: f64, lo: f64, hi: f64) -> f64 {
    let t = if v.is_finite() {
        (v.sin() + 1.0) / 2.0
    } else {
        0.5
    };
    lo + (hi - lo) * t
}

fn vec3(a: f64, b: f64, c: f64, r: f64) -> SVector<f64, 3> {
    SVector::from([squash(a, -r, r), squash(b, -r, r), squash(c, -r, r)])
}

quickcheck! {
    fn clipping_bounds_the_norm_and_keeps_the_direction(a: f64, b: f64, c: f64, m: f64) -> bool {
        let g = vec3(a, b, c, 1e3);
        let max_norm = squash(m, 1e-2, 1e2);
        let mut clipped = g;
        let norm = clip_by_global_norm(&mut clipped, max_norm).unwrap();
        let parallel = (clipped.cross(&g)).norm() <= 1e-12 * g.norm() * g.norm() + 1e-300;
        let bounded = clipped.norm() <= max_norm * (1.0 + 1e-12) + 1e-300;
        let untouched_if_small = norm > max_norm || clipped == g;
        norm == g.norm() && parallel && bounded && untouched_if_small
    }

    fn decaying_schedules_are_finite_non_negative_and_non_increasing(
        lr: f64, gamma: f64, floor: f64, k: u32
    ) -> bool {
        let lr = squash(lr, 0.0, 10.0);
        let gamma = squash(gamma, 1e-3, 1.0);
        let floor = squash(floor, 0.0, 1.0) * lr;
        let k = k as usize;
        let scheds: [&dyn Fn(usize) -> f64; 3] = [
            &|s| Exponential::new(lr, gamma).unwrap().rate(s),
            &|s| StepDecay::new(lr, 7, gamma).unwrap().rate(s),
            &|s| Cosine::new(lr, floor, 1000).unwrap().rate(s),
        ];
        scheds.iter().all(|r| {
            let (now, next) = (r(k), r(k + 1));
            now.is_finite() && now >= 0.0 && next <= now && now <= lr
        }) && Cosine::new(lr, floor, 1000).unwrap().rate(k) >= floor
    }

    fn warmup_is_continuous_at_its_end(start: f64, peak: f64, w: u8) -> bool {
        let start = squash(start, 0.0, 1.0);
        let peak = squash(peak, 0.0, 1.0);
        let w = w as usize + 1;
        let s = Warmup::new(start, w, Cosine::new(peak, 0.0, 100).unwrap()).unwrap();
        // The ramp's next value would be exactly the peak: the step to k = w is one ramp step.
        let ramp_step = (peak - start) / w as f64;
        (s.rate(w) - peak).abs() <= 1e-15
            && (s.rate(w) - s.rate(w - 1) - ramp_step).abs() <= 1e-12
    }

    fn adams_first_step_is_at_most_lr_per_coordinate(a: f64, b: f64, c: f64, lr: f64) -> bool {
        let lr = squash(lr, 1e-4, 1.0);
        let g = vec3(a, b, c, 1e6);
        let mut opt = AdamConfig::default().with_lr(lr).build::<3>().unwrap();
        let mut x = SVector::zeros();
        opt.step(&mut x, &g);
        // m̂ = g, v̂ = g²: the step is lr·g / (|g| + ε).
        x.iter().zip(g.iter()).all(|(dx, gi)| {
            dx.abs() <= lr * (1.0 + 1e-12) && (*gi == 0.0 || dx.signum() == -gi.signum())
        })
    }

    fn newton_always_returns_a_descent_direction(
        h: (f64, f64, f64, f64, f64, f64), a: f64, b: f64, c: f64
    ) -> bool {
        let s = |v| squash(v, -10.0, 10.0);
        let (h00, h01, h02, h11, h12, h22) = (s(h.0), s(h.1), s(h.2), s(h.3), s(h.4), s(h.5));
        let hess = SMatrix::<f64, 3, 3>::new(h00, h01, h02, h01, h11, h12, h02, h12, h22);
        let g = vec3(a, b, c, 10.0);
        if g.norm() < 1e-6 {
            return true;
        }
        let d = Newton::default().direction(&g, &hess);
        g.dot(&d) < 0.0
    }

    fn lbfgs_directions_descend_after_curved_pairs(
        seeds: Vec<(f64, f64, f64)>, a: f64, b: f64, c: f64
    ) -> bool {
        // y = A s with A symmetric positive definite: every pair satisfies sᵀy > 0.
        let a_mat = SMatrix::<f64, 3, 3>::new(4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 2.0);
        let mut l = Lbfgs::<3, 4>::default();
        for (x, y, z) in seeds.into_iter().take(10) {
            let s = vec3(x, y, z, 5.0);
            if s.norm() > 1e-3 {
                l.update(&s, &(a_mat * s));
            }
        }
        let g = vec3(a, b, c, 10.0);
        g.norm() < 1e-6 || g.dot(&l.direction(&g)) < 0.0
    }
}

/// A case quickcheck found: with lr = 6.954224575553378 and floor = 2.9490003247908088 the
/// cosine closed form at step 0 rounds one ulp above lr. The rate must stay within [floor, lr].
#[test]
fn cosine_stays_within_its_bounds_where_the_closed_form_rounds_outside() {
    let (lr, floor) = (6.954224575553378, 2.9490003247908088);
    assert!(floor + (lr - floor) * (1.0 + 1.0) / 2.0 > lr); // the rounding this test is about
    let s = Cosine::new(lr, floor, 1000).unwrap();
    assert_eq!(s.rate(0), lr);
    for k in 0..=1001 {
        let r = s.rate(k);
        assert!(r <= lr && r >= floor, "step {k}: {r}");
    }
}
