//! One path per concern: a loss written once over `Scalar` trains, minimises and is checked; the
//! three training runs share one engine; every second-order method reports a saddle the same way.

use dualgrad::check::check_gradient;
use dualgrad::objective::{BatchLoss, FullBatch, Objective, Samples};
use dualgrad::optim::{
    AdamConfig, Armijo, Lbfgs, Method, Newton, NewtonCg, Report, SgdConfig, StopReason, StopRules,
    StrongWolfe, minimize,
};
use dualgrad::train::{TrainConfig, train, train_unrolled};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

/// A straight-line fit `y ≈ a + b t` by mean squared error, written once over any scalar, with no
/// gradient code: the user's own `BatchLoss`.
struct LineFit {
    t: Vec<f64>,
    y: Vec<f64>,
}

impl Samples for LineFit {
    fn len(&self) -> usize {
        self.t.len()
    }
}

impl BatchLoss<2> for LineFit {
    fn batch_loss<T: Scalar>(&self, p: &SVector<T, 2>, indices: &[usize]) -> T {
        let mut sum = T::zero();
        for &i in indices {
            let r = p[0] + p[1] * self.t[i] - self.y[i];
            sum += r * r;
        }
        sum / indices.len() as f64
    }
}

fn line_fit() -> LineFit {
    let t: Vec<f64> = (0..8).map(|i| i as f64 / 4.0).collect();
    // y = 1 + 2t plus a fixed wiggle, so that the fit is not exact
    let y = t
        .iter()
        .enumerate()
        .map(|(i, t)| 1.0 + 2.0 * t + if i % 2 == 0 { 0.1 } else { -0.1 })
        .collect();
    LineFit { t, y }
}

/// The least-squares line by the normal equations in closed form (independent of the crate).
fn closed_form(fit: &LineFit) -> (f64, f64) {
    let n = fit.t.len() as f64;
    let (st, sy) = (fit.t.iter().sum::<f64>(), fit.y.iter().sum::<f64>());
    let stt = fit.t.iter().map(|t| t * t).sum::<f64>();
    let sty = fit.t.iter().zip(&fit.y).map(|(t, y)| t * y).sum::<f64>();
    let b = (n * sty - st * sy) / (n * stt - st * st);
    ((sy - b * st) / n, b)
}

#[test]
fn a_user_batch_loss_is_trained_minimised_and_checked_without_gradient_code() {
    let fit = line_fit();
    let (a, b) = closed_form(&fit);

    // train: the f64 Objective view comes from the BatchLoss
    let mut adam = AdamConfig::default().with_lr(0.05).build().unwrap();
    let config = TrainConfig::default()
        .with_epochs(20_000)
        .with_grad_tol(1e-10);
    let report = train(&fit, SVector::from([0.0, 0.0]), &mut adam, &config, |_| {}).unwrap();
    assert!(report.stop.converged(), "{}", report.stop);
    assert!(
        (report.params[0] - a).abs() < 1e-8,
        "{} vs {a}",
        report.params[0]
    );
    assert!(
        (report.params[1] - b).abs() < 1e-8,
        "{} vs {b}",
        report.params[1]
    );

    // minimize: Newton on the exact Hessian, one step on a quadratic
    let all = FullBatch::new(&fit);
    let rules = StopRules::default().with_grad_tol(1e-12);
    let newton = minimize(
        &all,
        SVector::from([0.0, 0.0]),
        &mut Newton::default(),
        &rules,
        |_| {},
    )
    .unwrap();
    assert!(newton.stop.converged(), "{}", newton.stop);
    assert!((newton.params[0] - a).abs() < 1e-12 && (newton.params[1] - b).abs() < 1e-12);

    // check: a hand-derived gradient (2/n) Σ r (1, t) against the exact one, and a wrong one
    let hand = |p: &SVector<f64, 2>| {
        let n = fit.t.len() as f64;
        let mut g = SVector::<f64, 2>::zeros();
        for (t, y) in fit.t.iter().zip(&fit.y) {
            let r = p[0] + p[1] * t - y;
            g += SVector::from([2.0 * r / n, 2.0 * r * t / n]);
        }
        g
    };
    let p = SVector::from([0.3, -0.7]);
    assert!(check_gradient(&all, &p, hand).is_ok());
    let wrong = |p: &SVector<f64, 2>| hand(p) * 0.5;
    assert_eq!(check_gradient(&all, &p, wrong).wrong_count(), 2);

    // the Objective view and the BatchLoss agree: len is never ambiguous with all traits in scope
    assert_eq!(fit.len(), 8);
    let (loss, grad) = fit.loss_and_gradient(&p, all.indices());
    assert_eq!(loss, fit.batch_loss(&p, all.indices()));
    assert!((grad - hand(&p)).norm() < 1e-14);
}

#[test]
fn train_and_train_unrolled_are_one_engine() {
    let fit = line_fit();
    for batch in [None, Some(3)] {
        let mut config = TrainConfig::default()
            .with_epochs(25)
            .without_grad_tol()
            .with_seed(7);
        if let Some(b) = batch {
            config = config.with_batch_size(b);
        }
        let mut sgd = SgdConfig::default()
            .with_lr(0.05)
            .with_momentum(0.5)
            .build()
            .unwrap();
        let trained = train(&fit, SVector::from([0.0, 0.0]), &mut sgd, &config, |_| {}).unwrap();
        let mut sgd = SgdConfig::default()
            .with_lr(0.05)
            .with_momentum(0.5)
            .build()
            .unwrap();
        let unrolled = train_unrolled(&fit, SVector::from([0.0, 0.0]), &mut sgd, &config).unwrap();
        assert_eq!(trained.steps, unrolled.steps, "batch {batch:?}");
        assert_eq!(trained.params, unrolled.params, "batch {batch:?}");
    }
}

/// `x⁴/4 − x²/2 + y²/2` (plus `N − 2` more quadratic coordinates): a saddle at the origin,
/// minima at `x = ±1`. Its Hessian at the origin is `diag(−1, 1, …, 1)`.
struct DoubleWell<const N: usize>;

impl<const N: usize> ScalarFn<N> for DoubleWell<N> {
    fn eval<T: Scalar>(&self, v: &SVector<T, N>) -> T {
        let x = v[0];
        let mut f = x.powi(4) * 0.25 - x * x * 0.5;
        for i in 1..N {
            f += v[i] * v[i] * 0.5;
        }
        f
    }
}

fn assert_saddle(stop: StopReason) {
    match stop {
        StopReason::SaddlePoint {
            norm,
            min_eigenvalue,
        } => {
            assert!(norm <= 1e-8);
            assert!((min_eigenvalue + 1.0).abs() < 1e-6, "{min_eigenvalue}");
            assert!(!stop.converged());
        }
        other => panic!("expected a saddle point, got: {other}"),
    }
}

/// Minimise the double well from `start` with `method` under the default rules.
fn descend<const N: usize>(start: SVector<f64, N>, method: &mut impl Method<N>) -> Report<N> {
    minimize(
        &DoubleWell::<N>,
        start,
        method,
        &StopRules::default(),
        |_| {},
    )
    .unwrap()
}

#[test]
fn newton_and_newton_cg_report_the_double_well_saddle_alike() {
    let start = SVector::from([0.0, 1.0]);
    assert_saddle(descend(start, &mut Newton::default()).stop);
    assert_saddle(descend(start, &mut NewtonCg::default()).stop);
}

#[test]
fn newton_cg_reports_a_saddle_at_size_from_hessian_vector_products() {
    // the rule runs a Lanczos process on H v (40 steps at N = 100 and 2000); in a 2 MiB thread, as
    // `cargo test` gives each test
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut start = SVector::<f64, 100>::from_element(1.0);
            start[0] = 0.0;
            assert_saddle(descend(start, &mut NewtonCg::default()).stop);
            // and at N = 2000, where H v runs in chunks
            let mut big = SVector::<f64, 2000>::from_element(1.0);
            big[0] = 0.0;
            assert_saddle(descend(big, &mut NewtonCg::default()).stop);
            // a start off the saddle's stable manifold reaches a minimum: no false alarm there
            start[0] = 0.5;
            let cg = descend(start, &mut NewtonCg::default());
            assert!(cg.stop.converged(), "{}", cg.stop);
            assert!((cg.params[0] - 1.0).abs() < 1e-6);
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn every_second_order_method_takes_another_line_search_the_same_way() {
    let start = SVector::from([0.5, 0.5]);
    let lbfgs = descend(
        start,
        &mut Lbfgs::<2, 5>::default().with_line_search(Armijo::default()),
    );
    let newton = descend(
        start,
        &mut Newton::<2>::default().with_line_search(StrongWolfe::default()),
    );
    for r in [lbfgs, newton] {
        assert!(r.stop.converged(), "{}", r.stop);
        assert!((r.params[0] - 1.0).abs() < 1e-8, "{}", r.params[0]);
    }
}

#[test]
fn the_plateau_rule_lowers_the_optimizers_own_rate() {
    use dualgrad::optim::Optimizer;
    use dualgrad::train::{Control, Monitor, ReduceLrOnPlateau, train_monitored};
    /// A constant loss with zero gradient: no epoch improves on the first.
    struct Flat;
    impl Samples for Flat {
        fn len(&self) -> usize {
            1
        }
    }
    impl Objective<1> for Flat {
        fn loss_and_gradient(&self, _: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) {
            (1.0, SVector::zeros())
        }
    }
    let mut sgd = SgdConfig::default().with_lr(0.4).build().unwrap();
    let config = TrainConfig::default().with_epochs(4).without_grad_tol();
    let plateau = ReduceLrOnPlateau::new(0.4)
        .with_patience(0)
        .with_factor(0.5);
    let monitor = Monitor::new().with_plateau(plateau);
    let run = train_monitored(&Flat, SVector::zeros(), &mut sgd, &config, monitor, |_| {
        Control::Continue
    })
    .unwrap();
    // epoch 1 sets the best; epochs 2, 3 and 4 each halve the rate
    assert_eq!(run.learning_rates, [0.4, 0.4, 0.2, 0.1]);
    // the optimizer itself carries the lowered rate: its next step uses it
    assert_eq!(sgd.learning_rate(), 0.05);
    let mut theta = SVector::from([0.0]);
    sgd.step(&mut theta, &SVector::from([1.0]));
    assert_eq!(theta[0], -0.05);
}

/// `Σⱼ ½(pⱼ − yᵢ)²` averaged over the samples `y = (1, 3)`: the gradient is `pⱼ − 2`.
struct Spread<const P: usize>;

impl<const P: usize> Samples for Spread<P> {
    fn len(&self) -> usize {
        2
    }
}

impl<const P: usize> BatchLoss<P> for Spread<P> {
    fn batch_loss<T: Scalar>(&self, p: &SVector<T, P>, indices: &[usize]) -> T {
        let mut sum = T::zero();
        for &i in indices {
            let y = 1.0 + 2.0 * i as f64;
            for j in 0..P {
                let r = p[j] - y;
                sum += r * r * 0.5;
            }
        }
        sum / indices.len() as f64
    }
}

#[test]
fn a_batch_loss_of_2000_parameters_trains_and_differentiates_in_a_2_mib_thread() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            const P: usize = 2000;
            let p = SVector::<f64, P>::from_fn(|j, _| j as f64 / P as f64);
            // the default loss_and_gradient_at, by the size policy's chunks
            let (loss, grad) = Spread::<P>.loss_and_gradient_at(&p, &[0, 1]);
            let exact = (0..P)
                .map(|j| 0.5 * ((p[j] - 1.0).powi(2) + (p[j] - 3.0).powi(2)) / 2.0)
                .sum::<f64>();
            assert!((loss - exact).abs() <= 1e-12 * exact);
            assert!((0..P).all(|j| (grad[j] - (p[j] - 2.0)).abs() <= 1e-15));
            // FullBatch's gradient is the same path
            assert_eq!(FullBatch::new(&Spread::<P>).gradient(&p), (loss, grad));
            // one epoch of gradient descent with rate 1 lands on the minimiser p = 2
            let mut sgd = SgdConfig::default().with_lr(1.0).build().unwrap();
            let config = TrainConfig::default().with_epochs(1);
            let report = train(&Spread::<P>, p, &mut sgd, &config, |_| {}).unwrap();
            assert!(report.params.iter().all(|&v| (v - 2.0).abs() <= 1e-15));
        })
        .unwrap()
        .join()
        .unwrap();
}
