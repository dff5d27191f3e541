//! The size envelope: every derivative entry point at the acceptance sizes, in a debug build,
//! inside a thread with a 2 MiB stack (what `cargo test` gives each test), checked against
//! closed forms or Ridders finite differences; and the chunked paths bit-identical to one pass
//! at the largest sizes where one pass compiles.

use dualgrad::check::ridders_derivative;
use dualgrad::data::{CsvLoader, Standardizer};
use dualgrad::diff::size::boxed_zeros;
use dualgrad::model::{Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
use dualgrad::objective::FullBatch;
use dualgrad::optim::{Newton, NewtonCg};
use dualgrad::optim::{StopReason, StopRules, minimize};
use dualgrad::{
    Chunk, Scalar, ScalarFn, VectorFn, gradient, gradient_chunked, hessian, hessian_chunked,
    hessian_chunked_boxed, hessian_chunked_into, hvp, hvp_chunked, jacobian, jacobian_chunked,
    jacobian_chunked_boxed, jacobian_chunked_into,
};
use nalgebra::SMatrix;
use nalgebra::SVector;

/// Run `f` in a thread with a 2 MiB stack; a stack overflow would abort the test binary.
fn in_small_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// The chained Rosenbrock function `Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)²`.
struct Rosenbrock<const N: usize>;

impl<const N: usize> ScalarFn<N> for Rosenbrock<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        rosenbrock(x)
    }
}

fn rosenbrock<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut f = T::zero();
    for i in 0..N - 1 {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        f += a * a + b * b * 100.0;
    }
    f
}

/// ∂f/∂xᵢ of the chained Rosenbrock function, by hand.
fn rosenbrock_grad<const N: usize>(x: &SVector<f64, N>, i: usize) -> f64 {
    let mut g = 0.0;
    if i + 1 < N {
        g += -2.0 * (1.0 - x[i]) - 400.0 * x[i] * (x[i + 1] - x[i] * x[i]);
    }
    if i > 0 {
        g += 200.0 * (x[i] - x[i - 1] * x[i - 1]);
    }
    g
}

/// ∂²f/∂xᵢ∂xⱼ of the chained Rosenbrock function, by hand (tridiagonal).
fn rosenbrock_hess<const N: usize>(x: &SVector<f64, N>, i: usize, j: usize) -> f64 {
    if i == j {
        let mut h = 0.0;
        if i + 1 < N {
            h += 2.0 - 400.0 * x[i + 1] + 1200.0 * x[i] * x[i];
        }
        if i > 0 {
            h += 200.0;
        }
        h
    } else if i.abs_diff(j) == 1 {
        -400.0 * x[i.min(j)]
    } else {
        0.0
    }
}

fn point<const N: usize>() -> SVector<f64, N> {
    SVector::from_fn(|i, _| 0.5 + 0.3 * (i as f64).sin())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + b.abs())
}

#[test]
fn gradient_at_2000_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<2000>();
        let (f, g) = Rosenbrock.gradient(&x);
        let (fc, gc) = gradient_chunked(rosenbrock, &x, Chunk::<16>);
        assert_eq!((f, g), (fc, gc)); // the trait form takes chunks of 16 here
        assert!(close(f, rosenbrock(&x)));
        for i in 0..2000 {
            assert!(close(g[i], rosenbrock_grad(&x, i)), "∂f/∂x{i}");
        }
    });
}

#[test]
fn chunked_gradient_is_one_pass_bit_for_bit_at_the_closure_limit() {
    in_small_thread(|| {
        let x = point::<80>();
        let one = gradient(rosenbrock, &x);
        assert_eq!(Rosenbrock.gradient(&x), one);
        assert_eq!(gradient_chunked(rosenbrock, &x, Chunk::<7>), one);
        for i in 0..80 {
            assert!(close(one.1[i], rosenbrock_grad(&x, i)));
        }
    });
}

/// Rosenbrock as a mean loss over one sample, for the gradient at jet parameters.
struct RosenbrockLoss<const N: usize>;

impl<const N: usize> dualgrad::objective::Samples for RosenbrockLoss<N> {
    fn len(&self) -> usize {
        1
    }
}

impl<const N: usize> dualgrad::objective::BatchLoss<N> for RosenbrockLoss<N> {
    fn batch_loss<T: Scalar>(&self, p: &SVector<T, N>, _: &[usize]) -> T {
        rosenbrock(p)
    }
}

#[test]
fn nested_gradient_at_the_closure_limit_in_a_2_mib_thread() {
    // the gradient at jet parameters p = x + Σₖ tₖ vₖ (what a differentiated training run
    // takes), 80 tangents whose parts are jets of 3: its tangent parts are H vₖ. In one pass a
    // debug build overflowed the thread; it takes chunks
    use dualgrad::Jet;
    use dualgrad::objective::BatchLoss;
    in_small_thread(|| {
        let x = point::<80>();
        let dir = |k: usize, i: usize| ((k + 1) as f64 * 0.7 + 0.2 * i as f64).cos();
        let p = SVector::<Jet<f64, 3>, 80>::from_fn(|i, _| {
            Jet::new(x[i], std::array::from_fn(|k| dir(k, i)))
        });
        let (f, g) = RosenbrockLoss::<80>.loss_and_gradient_at(&p, &[0]);
        assert!(close(f.re, rosenbrock(&x)));
        for i in 0..80 {
            assert!(close(g[i].re, rosenbrock_grad(&x, i)), "∂f/∂x{i}");
            for k in 0..3 {
                let hv: f64 = (0..80).map(|j| rosenbrock_hess(&x, i, j) * dir(k, j)).sum();
                assert!(
                    (g[i].eps[k] - hv).abs() <= 1e-9 * (1.0 + hv.abs()),
                    "(H v{k})[{i}]"
                );
            }
        }
    });
}

/// `fᵢ = xᵢ x₍ᵢ₊₁₎ mod N + sin xᵢ`: `J` has `x₍ᵢ₊₁₎ + cos xᵢ` on the diagonal and `xᵢ` beside it.
struct Ring<const N: usize>;

impl<const N: usize> VectorFn<N, N> for Ring<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, N> {
        ring(x)
    }
}

fn ring<T: Scalar, const N: usize>(x: &SVector<T, N>) -> SVector<T, N> {
    SVector::from_fn(|i, _| x[i] * x[(i + 1) % N] + x[i].sin())
}

fn ring_jac<const N: usize>(x: &SVector<f64, N>, i: usize, k: usize) -> f64 {
    let next = (i + 1) % N;
    match (k == i, k == next) {
        (true, _) => x[next] + x[i].cos(),
        (false, true) => x[i],
        _ => 0.0,
    }
}

/// The Jacobian by the trait form and by the chunked closure form, each copied to the heap in
/// a frame of its own (a debug build keeps every matrix of a frame on the stack).
#[inline(never)]
fn ring_jacobians_200(x: &SVector<f64, 200>) -> [(Vec<f64>, Vec<f64>); 2] {
    #[inline(never)]
    fn by_trait(x: &SVector<f64, 200>) -> (Vec<f64>, Vec<f64>) {
        let r = Ring.jacobian(x); // not destructured: that would copy the matrix in a debug build
        (r.0.as_slice().to_vec(), r.1.as_slice().to_vec())
    }
    #[inline(never)]
    fn by_chunks(x: &SVector<f64, 200>) -> (Vec<f64>, Vec<f64>) {
        let r = jacobian_chunked(ring, x, Chunk::<16>);
        (r.0.as_slice().to_vec(), r.1.as_slice().to_vec())
    }
    [by_trait(x), by_chunks(x)]
}

#[test]
fn jacobian_at_200_by_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<200>();
        let [(v, j), chunked] = ring_jacobians_200(&x);
        for i in 0..200 {
            assert!(close(v[i], x[i] * x[(i + 1) % 200] + x[i].sin()));
            for k in 0..200 {
                // column-major storage
                assert!(close(j[i + 200 * k], ring_jac(&x, i, k)), "J[{i}, {k}]");
            }
        }
        assert!(chunked == (v, j));
    });
}

#[test]
fn chunked_jacobian_is_one_pass_bit_for_bit_at_the_closure_limit() {
    in_small_thread(|| {
        let x = point::<80>();
        let (v, j) = jacobian(ring, &x);
        let (vt, jt) = Ring.jacobian(&x);
        let (vc, jc) = jacobian_chunked(ring, &x, Chunk::<5>);
        assert!(vt == v && jt == j && vc == v && jc == j);
    });
}

/// The Hessian of `f` by the trait form and by the blocked closure form (`8 × 8`), each copied
/// to the heap in a frame of its own.
#[inline(never)]
fn hessians_200<F: ScalarFn<200>>(f: &F, x: &SVector<f64, 200>) -> [(f64, Vec<f64>, Vec<f64>); 2] {
    #[inline(never)]
    fn by_trait<F: ScalarFn<200>>(f: &F, x: &SVector<f64, 200>) -> (f64, Vec<f64>, Vec<f64>) {
        let r = f.hessian(x); // not destructured: that would copy the matrix in debug
        (r.0, r.1.as_slice().to_vec(), r.2.as_slice().to_vec())
    }
    #[inline(never)]
    fn by_blocks<F: ScalarFn<200>>(f: &F, x: &SVector<f64, 200>) -> (f64, Vec<f64>, Vec<f64>) {
        let r = hessian_chunked(|y| f.eval(y), x, Chunk::<8>);
        (r.0, r.1.as_slice().to_vec(), r.2.as_slice().to_vec())
    }
    [by_trait(f, x), by_blocks(f, x)]
}

#[test]
fn hessian_at_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<200>();
        let [(f, g, h), blocked] = hessians_200(&Rosenbrock, &x);
        assert!(close(f, rosenbrock(&x)));
        for i in 0..200 {
            assert!(close(g[i], rosenbrock_grad(&x, i)));
            for j in 0..200 {
                let hij = h[i + 200 * j];
                assert!(close(hij, rosenbrock_hess(&x, i, j)), "H[{i}, {j}]");
                assert_eq!(hij, h[j + 200 * i]);
            }
        }
        assert!(blocked == (f, g, h));
    });
}

#[test]
fn blocked_hessian_is_one_pass_bit_for_bit_at_the_closure_limit() {
    in_small_thread(|| {
        let x = point::<16>();
        let one = hessian(rosenbrock, &x);
        assert_eq!(Rosenbrock.hessian(&x), one); // one pass up to HESSIAN_ONE_PASS_MAX = 16
        assert_eq!(hessian_chunked(rosenbrock, &x, Chunk::<3>), one);
        assert_eq!(hessian_chunked(rosenbrock, &x, Chunk::<16>), one);
        // a dense function, so that every block has work in it
        fn dense<T: Scalar>(x: &SVector<T, 16>) -> T {
            let s = x.sum();
            (s * s).sin() + x.dot(x).sqrt()
        }
        let one = hessian(dense, &x);
        assert_eq!(hessian_chunked(dense, &x, Chunk::<5>), one);
        assert_eq!(one.2, one.2.transpose());
    });
}

#[test]
fn hvp_at_2000_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<2000>();
        let v = SVector::<f64, 2000>::from_fn(|i, _| (0.7 * i as f64).cos());
        let (f, g, hv) = Rosenbrock.hvp(&x, &v);
        assert!(close(f, rosenbrock(&x)));
        for i in 0..2000 {
            assert!(close(g[i], rosenbrock_grad(&x, i)));
            let lo = i.saturating_sub(1);
            let expected: f64 = (lo..(i + 2).min(2000))
                .map(|j| rosenbrock_hess(&x, i, j) * v[j])
                .sum();
            assert!(close(hv[i], expected), "(Hv)[{i}]: {} vs {expected}", hv[i]);
        }
        let chunked = hvp_chunked(rosenbrock, &x, &v, Chunk::<8>);
        assert_eq!(chunked, (f, g, hv));
    });
}

#[test]
fn chunked_hvp_is_one_pass_bit_for_bit_at_the_closure_limit() {
    in_small_thread(|| {
        let x = point::<80>();
        let v = SVector::<f64, 80>::from_fn(|i, _| 1.0 - 0.01 * i as f64);
        let one = hvp(rosenbrock, &x, &v);
        assert_eq!(Rosenbrock.hvp(&x, &v), one);
        assert_eq!(hvp_chunked(rosenbrock, &x, &v, Chunk::<3>), one);
    });
}

type Net = Mlp1<Tanh, 4, 8, 3, 67>;

fn iris() -> dualgrad::data::Dataset<4, usize> {
    let (raw, _) = CsvLoader::new(
        ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        "species",
    )
    .classes_from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv"))
    .unwrap();
    Standardizer::fit(&raw).unwrap().transform(&raw).unwrap()
}

#[test]
fn iris_hessian_in_a_2_mib_thread() {
    in_small_thread(|| {
        let data = iris();
        let net = Net::new();
        let objective = Supervised::new(net, SoftmaxCrossEntropy, &data).unwrap();
        let full = FullBatch::new(&objective);
        let p = net.init(7);
        let (f, g, h) = full.hessian(&p);
        assert_eq!(h, h.transpose());
        // the same value and gradient as the generic path (which sums in blocks of samples)
        let (f1, g1) = objective.generic_loss_and_gradient(&p, full.indices());
        assert!(close(f, f1));
        for i in 0..67 {
            assert!((g[i] - g1[i]).abs() <= 1e-13 * (1.0 + g1[i].abs()));
        }
        // columns of H against Ridders differences of the (exact) gradient
        for k in [0, 39] {
            for i in [5, 40, 66] {
                let (d, err) = ridders_derivative(
                    |t| {
                        let mut q = p;
                        q[k] += t;
                        full.gradient(&q).1[i]
                    },
                    0.0,
                );
                assert!(
                    (h[(i, k)] - d).abs() <= 1e-7 * (1.0 + d.abs()) + 10.0 * err,
                    "H[{i}, {k}] = {} vs Ridders {d} ± {err}",
                    h[(i, k)]
                );
            }
        }
        // and the Hessian-vector product along a unit vector is that column
        let e = SVector::<f64, 67>::from_fn(|i, _| if i == 20 { 1.0 } else { 0.0 });
        let (_, _, hv) = full.hvp(&p, &e);
        for i in 0..67 {
            assert!((hv[i] - h[(i, 20)]).abs() <= 1e-12 * (1.0 + h[(i, 20)].abs()));
        }
    });
}

#[test]
fn newton_on_iris_in_a_2_mib_thread() {
    in_small_thread(|| {
        let data = iris();
        let net = Net::new();
        let objective = Supervised::new(net, SoftmaxCrossEntropy, &data).unwrap();
        let full = FullBatch::new(&objective);
        let p = net.init(7);
        let start = full.value(&p);
        let rules = StopRules::default().with_max_iterations(2);
        let report = minimize(&full, p, &mut Newton::default(), &rules, |_| {}).unwrap();
        let end = full.value(&report.params);
        assert!(end < start, "{start} → {end}");
        assert!(report.evals.hessian >= 1);
    });
}

#[test]
fn newton_cg_on_rosenbrock_40_in_a_2_mib_thread() {
    in_small_thread(|| {
        // the chained Rosenbrock function has its minimum 0 at (1, …, 1)
        let x0 = SVector::<f64, 40>::from_fn(|i, _| if i % 2 == 0 { -1.2 } else { 1.0 });
        let rules = StopRules::default().with_grad_tol(1e-8);
        let mut method = NewtonCg::default();
        let report = minimize(&Rosenbrock, x0, &mut method, &rules, |_| {}).unwrap();
        assert!(
            matches!(report.stop, StopReason::GradientTolerance { .. }),
            "{:?}",
            report.stop
        );
        assert!((report.params - SVector::<f64, 40>::repeat(1.0)).amax() < 1e-6);
        assert_eq!(report.evals.hessian, 0); // Hessian-vector products only
    });
}

/// `Σₖ √x₂ₖ · x₂ₖ₊₁`: at `x₂ₖ = 0` every even coordinate sits where `√` has an infinite
/// derivative, so every product of the second-order pass takes the NaN-safe (careful) path.
struct SqrtPairs<const N: usize>;

impl<const N: usize> ScalarFn<N> for SqrtPairs<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        sqrt_pairs(x)
    }
}

fn sqrt_pairs<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    (0..N / 2).fold(T::zero(), |s, k| s + x[2 * k].sqrt() * x[2 * k + 1])
}

/// `x₂ₖ = 0`, `x₂ₖ₊₁ = 1 + k/100`.
fn sqrt_pairs_point<const N: usize>() -> SVector<f64, N> {
    SVector::from_fn(|i, _| {
        if i % 2 == 0 {
            0.0
        } else {
            1.0 + (i / 2) as f64 / 100.0
        }
    })
}

/// The closed forms at [`sqrt_pairs_point`]: `∂f/∂x₂ₖ = x₂ₖ₊₁ / (2√x₂ₖ) = ∞`, `∂f/∂x₂ₖ₊₁ =
/// √x₂ₖ = 0`; `H[2k, 2k] = −x₂ₖ₊₁ / (4 x₂ₖ^{3/2}) = −∞`, `H[2k, 2k+1] = 1 / (2√x₂ₖ) = ∞`, every
/// other entry 0 (the pairs do not interact, and `∂²f/∂x₂ₖ₊₁² = 0`).
fn sqrt_pairs_hess(i: usize, j: usize) -> f64 {
    let (even, pair) = (i.min(j), i / 2 == j / 2);
    match (pair, i == j, even % 2 == 0) {
        (true, true, true) => f64::NEG_INFINITY,
        (true, false, true) => f64::INFINITY,
        _ => 0.0,
    }
}

#[test]
fn nan_safe_hessian_at_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = sqrt_pairs_point::<200>();
        let [(f, g, h), blocked] = hessians_200(&SqrtPairs, &x);
        assert_eq!(f, 0.0);
        for i in 0..200 {
            let gi = if i % 2 == 0 { f64::INFINITY } else { 0.0 };
            assert_eq!(g[i], gi, "g[{i}]");
            for j in 0..200 {
                assert_eq!(h[i + 200 * j], sqrt_pairs_hess(i, j), "H[{i}, {j}]");
            }
        }
        assert!(blocked == (f, g, h));
    });
}

#[test]
fn nan_safe_hvp_and_gradient_at_2000_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = sqrt_pairs_point::<2000>();
        // v moves only the odd coordinates: H v = (∞ · v₂ₖ₊₁ on even entries, 0 on odd ones);
        // the even coordinates do not move, so their infinite second derivatives contribute 0
        let v = SVector::<f64, 2000>::from_fn(|i, _| if i % 2 == 0 { 0.0 } else { 0.5 });
        let (f, g, hv) = SqrtPairs.hvp(&x, &v);
        assert_eq!(f, 0.0);
        for i in 0..2000 {
            let want = if i % 2 == 0 { f64::INFINITY } else { 0.0 };
            assert_eq!(g[i], want, "g[{i}]");
            assert_eq!(hv[i], want, "(Hv)[{i}]");
        }
        assert_eq!(hvp_chunked(sqrt_pairs, &x, &v, Chunk::<8>), (f, g, hv));
        assert_eq!(SqrtPairs.gradient(&x), (f, g));
    });
}

// Large dense results written as a user writes them: the tuple destructured in the test's own
// frame (a debug build keeps the returned tuple and the bindings, two copies of the matrix).

/// Every entry of a Rosenbrock Hessian, gradient and value against the closed forms.
fn assert_rosenbrock_hessian<const N: usize>(
    x: &SVector<f64, N>,
    f: f64,
    g: &SVector<f64, N>,
    h: &SMatrix<f64, N, N>,
) {
    assert!(close(f, rosenbrock(x)));
    for i in 0..N {
        assert!(close(g[i], rosenbrock_grad(x, i)), "g[{i}]");
        for j in 0..N {
            assert!(close(h[(i, j)], rosenbrock_hess(x, i, j)), "H[{i}, {j}]");
            assert_eq!(h[(i, j)], h[(j, i)]);
        }
    }
}

#[test]
fn destructured_hessian_chunked_at_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<200>();
        let (f, g, h) = hessian_chunked(rosenbrock, &x, Chunk::<8>);
        assert_rosenbrock_hessian(&x, f, &g, &h);
    });
}

#[test]
fn destructured_trait_hessian_at_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<200>();
        let (f, g, h) = Rosenbrock.hessian(&x);
        assert_rosenbrock_hessian(&x, f, &g, &h);
    });
}

#[test]
fn destructured_jacobians_at_200_in_a_2_mib_thread() {
    in_small_thread(|| {
        let x = point::<200>();
        let (v, j) = Ring.jacobian(&x);
        for i in 0..200 {
            assert!(close(v[i], x[i] * x[(i + 1) % 200] + x[i].sin()));
            for k in 0..200 {
                assert!(close(j[(i, k)], ring_jac(&x, i, k)), "J[{i}, {k}]");
            }
        }
        let (vc, jc) = jacobian_chunked(ring, &x, Chunk::<16>);
        assert!(vc == v && jc == j);
    });
}

#[test]
fn boxed_hessian_at_300_in_a_2_mib_thread() {
    in_small_thread(|| {
        // 703 KiB per matrix, on the heap
        let x = point::<300>();
        let (f, g, h) = Rosenbrock.hessian_boxed(&x);
        assert_rosenbrock_hessian(&x, f, &g, &h);
    });
}

#[test]
fn boxed_and_into_hessians_agree_with_the_by_value_forms() {
    in_small_thread(|| {
        // 120 × 120 = 113 KiB: the by-value forms take their heap path here
        let x = point::<120>();
        let (f, g, h) = Rosenbrock.hessian(&x);
        assert_rosenbrock_hessian(&x, f, &g, &h);
        let (fb, gb, hb) = Rosenbrock.hessian_boxed(&x);
        assert!(fb == f && gb == g && *hb == h);
        let (fc, gc, hc) = hessian_chunked_boxed(rosenbrock, &x, Chunk::<8>);
        assert!(fc == f && gc == g && *hc == h); // the trait form takes blocks of 8 × 8 here
        // into storage the caller owns, overwriting whatever was there
        let mut g2 = SVector::repeat(f64::NAN);
        let mut h2: Box<SMatrix<f64, 120, 120>> = boxed_zeros();
        h2.fill(f64::NAN);
        let f2 = Rosenbrock.hessian_into(&x, &mut g2, &mut h2);
        assert!(f2 == f && g2 == g && *h2 == h);
        g2.fill(f64::NAN);
        h2.fill(f64::NAN);
        let f3 = hessian_chunked_into(rosenbrock, &x, Chunk::<8>, &mut g2, &mut h2);
        assert!(f3 == f && g2 == g && *h2 == h);
    });
}

#[test]
fn boxed_and_into_jacobians_at_1000_in_a_2_mib_thread() {
    in_small_thread(|| {
        // 7.6 MiB per matrix
        let x = point::<1000>();
        let (v, j) = Ring.jacobian_boxed(&x);
        for i in 0..1000 {
            assert!(close(v[i], x[i] * x[(i + 1) % 1000] + x[i].sin()));
            for k in [0, i.saturating_sub(1), i, (i + 1) % 1000, 999] {
                assert!(close(j[(i, k)], ring_jac(&x, i, k)), "J[{i}, {k}]");
            }
        }
        let (vc, jc) = jacobian_chunked_boxed(ring, &x, Chunk::<16>);
        assert!(vc == v && jc == j);
        let mut v2 = SVector::repeat(f64::NAN);
        let mut j2: Box<SMatrix<f64, 1000, 1000>> = boxed_zeros();
        j2.fill(f64::NAN);
        Ring.jacobian_into(&x, &mut v2, &mut j2);
        assert!(v2 == v && j2 == j);
        v2.fill(f64::NAN);
        j2.fill(f64::NAN);
        jacobian_chunked_into(ring, &x, Chunk::<16>, &mut v2, &mut j2);
        assert!(v2 == v && j2 == j);
    });
}
