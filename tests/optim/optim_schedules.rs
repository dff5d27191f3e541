//! Every schedule against its closed form at steps 0, 1, T−1, T, T+1 and 10T, where T is the
//! schedule's characteristic length; and the step index seen by an optimizer starts at 0.

use dualgrad::optim::{
    Constant, Cosine, Exponential, Linear, OptimError, Optimizer, Schedule, SgdConfig, StepDecay,
    Warmup,
};
use nalgebra::SVector;
use std::f64::consts::PI;

const T: usize = 8;
const STEPS: [usize; 6] = [0, 1, T - 1, T, T + 1, 10 * T];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-14 * b.abs().max(1e-300)
}

fn check(name: &str, s: &impl Schedule, closed: impl Fn(usize) -> f64) {
    for k in STEPS {
        let (got, want) = (s.rate(k), closed(k));
        assert!(close(got, want), "{name} at step {k}: {got} vs {want}");
    }
}

/// γᵏ by repeated multiplication, independent of `powf`.
fn pow(g: f64, k: usize) -> f64 {
    (0..k).fold(1.0, |p, _| p * g)
}

#[test]
fn constant() {
    check("constant", &Constant::new(0.3).unwrap(), |_| 0.3);
}

#[test]
fn exponential_is_eta_gamma_to_the_k() {
    let s = Exponential::new(0.5, 0.9).unwrap();
    check("exponential", &s, |k| 0.5 * pow(0.9, k));
    // hand values: 0.5, 0.45, 0.405
    assert!(close(s.rate(2), 0.405));
}

#[test]
fn step_decay_drops_every_t_steps() {
    let s = StepDecay::new(0.2, T, 0.5).unwrap();
    check("step decay", &s, |k| 0.2 * pow(0.5, k / T));
    assert_eq!(
        (s.rate(T - 1), s.rate(T), s.rate(10 * T)),
        (0.2, 0.1, 0.2 / 1024.0)
    );
}

#[test]
fn cosine_anneals_to_the_floor_and_stays() {
    let (lr, floor) = (0.1, 0.01);
    let s = Cosine::new(lr, floor, T).unwrap();
    check("cosine", &s, |k| {
        let k = k.min(T) as f64;
        floor + 0.5 * (lr - floor) * (1.0 + (PI * k / T as f64).cos())
    });
    assert_eq!(s.rate(0), lr);
    assert!(close(s.rate(T / 2), (lr + floor) / 2.0)); // cos(π/2) = 0: the midpoint
    assert_eq!(
        (s.rate(T), s.rate(T + 1), s.rate(10 * T)),
        (floor, floor, floor)
    );
}

#[test]
fn linear_ramps_then_holds() {
    let s = Linear::new(0.0, 0.4, T).unwrap();
    check("linear", &s, |k| 0.4 * (k.min(T) as f64) / T as f64);
    let down = Linear::new(1.0, 0.5, T).unwrap();
    check("linear decay", &down, |k| {
        1.0 - 0.5 * (k.min(T) as f64) / T as f64
    });
}

#[test]
fn warmup_into_cosine_offsets_the_inner_index_by_the_warmup_length() {
    let (start, peak, floor, decay) = (0.01, 0.1, 0.0, 4 * T);
    let s = Warmup::new(start, T, Cosine::new(peak, floor, decay).unwrap()).unwrap();
    let cosine = |j: usize| {
        let j = j.min(decay) as f64;
        floor + 0.5 * (peak - floor) * (1.0 + (PI * j / decay as f64).cos())
    };
    check("warmup+cosine", &s, |k| {
        if k < T {
            start + (peak - start) * k as f64 / T as f64
        } else {
            cosine(k - T)
        }
    });
    assert_eq!(s.rate(0), start);
    assert_eq!(s.rate(T), peak); // continuous: the inner schedule's step 0
    assert!(close(s.rate(T + 2 * T), (peak + floor) / 2.0)); // inner step 2T = half the decay
    assert_eq!(s.rate(10 * T), floor);
}

#[test]
fn warmup_into_exponential_and_into_constant() {
    let s = Warmup::new(0.0, T, Exponential::new(0.2, 0.5).unwrap()).unwrap();
    check("warmup+exponential", &s, |k| {
        if k < T {
            0.2 * k as f64 / T as f64
        } else {
            0.2 * pow(0.5, k - T)
        }
    });
    let c = Warmup::new(0.0, T, Constant::new(1.0).unwrap()).unwrap();
    check("warmup+constant", &c, |k| (k.min(T) as f64) / T as f64);
}

#[test]
fn the_optimizer_uses_rate_zero_on_its_first_update() {
    // With g = 1 each plain SGD step moves θ by exactly −rate(k).
    let mut opt = SgdConfig::default()
        .with_schedule(Exponential::new(1.0, 0.5).unwrap())
        .build::<1>()
        .unwrap();
    let mut theta = SVector::from([0.0]);
    let mut moves = Vec::new();
    for _ in 0..4 {
        let before = theta[0];
        opt.step(&mut theta, &SVector::from([1.0]));
        moves.push(before - theta[0]);
    }
    assert_eq!(moves, vec![1.0, 0.5, 0.25, 0.125]);
    opt.reset();
    assert_eq!(opt.learning_rate(), 1.0);
}

#[test]
fn bad_schedule_parameters_are_errors_naming_the_value() {
    assert_eq!(
        Constant::new(-0.1),
        Err(OptimError::InvalidLearningRate(-0.1))
    );
    assert!(matches!(
        Exponential::new(0.1, 0.0),
        Err(OptimError::InvalidValue { name: "gamma", value, .. }) if value == 0.0
    ));
    assert!(matches!(
        StepDecay::new(0.1, 0, 0.5),
        Err(OptimError::InvalidCount {
            name: "step_size",
            value: 0,
            ..
        })
    ));
    assert!(matches!(
        Cosine::new(0.1, -0.01, 10),
        Err(OptimError::InvalidValue { name: "floor", .. })
    ));
    assert!(Linear::new(f64::NAN, 0.1, 10).is_err());
    assert!(Warmup::new(0.0, 0, Constant::new(0.1).unwrap()).is_err());
    // A schedule validated by the optimizer config too.
    let err = SgdConfig::default()
        .with_lr(f64::NAN)
        .build::<1>()
        .unwrap_err();
    assert!(err.to_string().starts_with("invalid learning rate NaN"));
}
