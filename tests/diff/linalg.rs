//! nalgebra's linear algebra on jets, at first and second order, through the public entry
//! points `gradient`, `hessian` and `jacobian`, against closed forms evaluated in plain `f64`:
//! `∂ ln det A/∂A = A⁻ᵀ`, `∂(A⁻¹b) = −A⁻¹(∂A)A⁻¹b`, `∂λᵢ/∂A = vᵢvᵢᵀ`, `∇‖x‖ = x/‖x‖`,
//! Cholesky and LU solves against the inverse, and Ridders differences where no closed form is
//! at hand (matrix exponential). Each function is written once over `T: Scalar`.

use crate::common;

use common::*;
use dualgrad::check::ridders_gradient;
use dualgrad::jet::MixedOps;
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};
use quickcheck::TestResult;

type M3 = SMatrix<f64, 3, 3>;
type V3 = SVector<f64, 3>;

/// A well-conditioned 3×3 matrix (det = 20.3125) and two perturbation directions.
fn a0() -> M3 {
    M3::new(4.0, 1.0, -0.5, 0.5, 3.0, 0.25, -1.0, 0.75, 2.0)
}
/// A symmetric positive definite matrix with simple eigenvalues.
fn s0() -> M3 {
    M3::new(4.0, 1.0, 0.5, 1.0, 3.0, -0.25, 0.5, -0.25, 1.5)
}
fn e_dir() -> M3 {
    M3::new(0.3, -0.2, 0.1, 0.4, 0.0, -0.6, 0.2, 0.5, -0.1)
}
fn f_dir() -> M3 {
    M3::new(-0.1, 0.7, 0.0, 0.2, 0.3, 0.4, -0.5, 0.1, 0.6)
}
fn sym(m: M3) -> M3 {
    (m + m.transpose()) * 0.5
}
fn b0() -> V3 {
    V3::new(1.0, -2.0, 0.5)
}
fn c0() -> V3 {
    V3::new(0.3, 0.9, -1.2)
}

/// The matrix whose 9 entries (column-major) are the variables.
fn mat_of<T: Scalar>(x: &SVector<T, 9>) -> SMatrix<T, 3, 3> {
    SMatrix::<T, 3, 3>::from_column_slice(x.as_slice())
}
fn vec9(m: &M3) -> SVector<f64, 9> {
    SVector::<f64, 9>::from_column_slice(m.as_slice())
}
/// `A + sE + tF` with the two variables `p = (s, t)`.
fn along<T: Scalar>(a: M3, e: M3, f: M3, p: &SVector<T, 2>) -> SMatrix<T, 3, 3> {
    SMatrix::<T, 3, 3>::from_fn(|i, j| p[0] * e[(i, j)] + p[1] * f[(i, j)] + a[(i, j)])
}

fn inv(m: &M3) -> M3 {
    m.try_inverse().expect("test matrices are invertible")
}

/// A random well-conditioned matrix: `a0` plus a perturbation in `[-0.5, 0.5]` per entry.
fn perturbed(raw: [f64; 9]) -> Option<M3> {
    Some(a0() + mat_of(&vec_in_box(raw, -0.5, 0.5)?))
}

// ---------------------------------------------------------------------------------------------
// ln det A and det A
// ---------------------------------------------------------------------------------------------

fn log_det<T: Scalar>(x: &SVector<T, 9>) -> T {
    mat_of(x).determinant().ln()
}

#[test]
fn log_det_gradient_is_inverse_transpose_and_hessian_closed_form() {
    fn prop(raw: [f64; 9]) -> TestResult {
        let Some(a) = perturbed(raw) else {
            return TestResult::discard();
        };
        let ai = inv(&a);
        let (v, g) = gradient(log_det, &vec9(&a));
        let r = close_cf("ln det", v, a.determinant().ln()).and(close_mat_cf(
            "∂ ln det A/∂A = A⁻ᵀ",
            &g,
            &vec9(&ai.transpose()),
        ));
        // ∂² ln det / ∂A_ij ∂A_kl = −(A⁻¹)_li (A⁻¹)_jk; entry (i,j) is variable i + 3j
        let (_, _, h) = hessian(log_det, &vec9(&a));
        let want = SMatrix::<f64, 9, 9>::from_fn(|p, q| {
            let (i, j, k, l) = (p % 3, p / 3, q % 3, q / 3);
            -ai[(l, i)] * ai[(j, k)]
        });
        verdict(r.and(close_mat_cf("hessian of ln det", &h, &want)))
    }
    check_n(50, prop as fn([f64; 9]) -> TestResult);
}

#[test]
fn determinant_gradient_is_det_times_inverse_transpose() {
    let a = a0();
    let (v, g) = gradient(|x| mat_of(x).determinant(), &vec9(&a));
    close_cf("det", v, 20.3125).unwrap();
    close_mat_cf("∇det", &g, &vec9(&(inv(&a).transpose() * a.determinant()))).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Solves: inverse, LU, Cholesky, all against −A⁻¹(∂A)A⁻¹b and its second derivative
// ---------------------------------------------------------------------------------------------

/// For `g(s, t) = cᵀ (A + sE + tF)⁻¹ b` at `s = t = 0`: the gradient and Hessian.
fn solve_closed_form(a: M3, e: M3, f: M3) -> (f64, SVector<f64, 2>, SMatrix<f64, 2, 2>) {
    let ai = inv(&a);
    let x = ai * b0();
    let c = c0();
    let g = SVector::from([-c.dot(&(ai * e * x)), -c.dot(&(ai * f * x))]);
    let ef = c.dot(&(ai * e * ai * f * x)) + c.dot(&(ai * f * ai * e * x));
    let ee = 2.0 * c.dot(&(ai * e * ai * e * x));
    let ff = 2.0 * c.dot(&(ai * f * ai * f * x));
    (c.dot(&x), g, SMatrix::<f64, 2, 2>::new(ee, ef, ef, ff))
}

/// A way to compute `A⁻¹ b`, written once over `T: Scalar`.
trait Solve {
    fn solve<T: Scalar>(m: SMatrix<T, 3, 3>) -> SVector<T, 3>;
}

fn check_solve<S: Solve>(name: &str, a: M3, e: M3, f: M3) -> Result<(), String> {
    let (v, g, h) = solve_closed_form(a, e, f);
    let p = SVector::from([0.0, 0.0]);
    let (v1, g1) = gradient(
        |p| S::solve(along(a, e, f, p)).dot(&c0().map(Jet::lift)),
        &p,
    );
    let (v2, g2, h2) = hessian(
        |p| S::solve(along(a, e, f, p)).dot(&c0().map(Jet::lift)),
        &p,
    );
    close_cf(&format!("{name} value"), v1, v)?;
    close_mat_cf(&format!("{name} −cᵀA⁻¹(∂A)A⁻¹b"), &g1, &g)?;
    close_cf(&format!("{name} value (2nd order)"), v2, v)?;
    close_mat_cf(&format!("{name} gradient (2nd order)"), &g2, &g)?;
    close_mat_cf(&format!("{name} hessian"), &h2, &h)
}

struct ByInverse;
impl Solve for ByInverse {
    fn solve<T: Scalar>(m: SMatrix<T, 3, 3>) -> SVector<T, 3> {
        m.try_inverse().expect("invertible") * b0().map(T::lift)
    }
}
struct ByLu;
impl Solve for ByLu {
    fn solve<T: Scalar>(m: SMatrix<T, 3, 3>) -> SVector<T, 3> {
        m.lu().solve(&b0().map(T::lift)).expect("invertible")
    }
}
struct ByCholesky;
impl Solve for ByCholesky {
    fn solve<T: Scalar>(m: SMatrix<T, 3, 3>) -> SVector<T, 3> {
        m.cholesky()
            .expect("positive definite")
            .solve(&b0().map(T::lift))
    }
}
struct ByQr;
impl Solve for ByQr {
    fn solve<T: Scalar>(m: SMatrix<T, 3, 3>) -> SVector<T, 3> {
        m.qr().solve(&b0().map(T::lift)).expect("invertible")
    }
}

#[test]
fn inverse_solve_derivatives() {
    fn prop(raw: [f64; 9]) -> TestResult {
        let Some(a) = perturbed(raw) else {
            return TestResult::discard();
        };
        verdict(check_solve::<ByInverse>("inverse", a, e_dir(), f_dir()))
    }
    check_n(100, prop as fn([f64; 9]) -> TestResult);
}

#[test]
fn lu_solve_derivatives() {
    fn prop(raw: [f64; 9]) -> TestResult {
        let Some(a) = perturbed(raw) else {
            return TestResult::discard();
        };
        verdict(check_solve::<ByLu>("lu", a, e_dir(), f_dir()))
    }
    check_n(100, prop as fn([f64; 9]) -> TestResult);
}

#[test]
fn qr_solve_derivatives() {
    check_solve::<ByQr>("qr", a0(), e_dir(), f_dir()).unwrap();
}

#[test]
fn cholesky_solve_derivatives() {
    fn prop(raw: [f64; 9]) -> TestResult {
        let Some(d) = vec_in_box(raw, -0.5, 0.5) else {
            return TestResult::discard();
        };
        // symmetric positive definite: s0 + a symmetric perturbation of norm < 1.5 < λ_min(s0)
        let a = s0() + sym(mat_of(&d)) * 0.5;
        verdict(check_solve::<ByCholesky>(
            "cholesky",
            a,
            sym(e_dir()),
            sym(f_dir()),
        ))
    }
    check_n(100, prop as fn([f64; 9]) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// Symmetric eigenvalues
// ---------------------------------------------------------------------------------------------

/// The smallest eigenvalue of the symmetric part of the matrix of `x`.
fn lambda_min<T: Scalar>(x: &SVector<T, 9>) -> T {
    let m = mat_of(x);
    let s = (m + m.transpose()) * T::lift(0.5);
    s.symmetric_eigenvalues()
        .iter()
        .copied()
        .fold(T::max_value().unwrap(), |a, b| a.min(b))
}

#[test]
fn eigenvalue_gradient_is_v_vt_and_second_order_is_perturbation_theory() {
    let a = s0();
    let eig = a.symmetric_eigen();
    let k = eig.eigenvalues.imin();
    let v = eig.eigenvectors.column(k).into_owned();
    let (l, g) = gradient(lambda_min, &vec9(&a));
    close_cf("λ_min", l, eig.eigenvalues[k]).unwrap();
    close_mat_cf("∂λ/∂A = v vᵀ", &g, &vec9(&(v * v.transpose()))).unwrap();

    // along A + sE + tF (E, F symmetric): ∂²λ_k/∂s∂t = 2 Σ_{j≠k} (vₖᵀE vⱼ)(vⱼᵀF vₖ)/(λₖ − λⱼ)
    let (e, f) = (sym(e_dir()), sym(f_dir()));
    let second = |x: &M3, y: &M3| {
        (0..3)
            .filter(|&j| j != k)
            .map(|j| {
                let vj = eig.eigenvectors.column(j);
                2.0 * (v.dot(&(x * vj)) * vj.dot(&(y * v)))
                    / (eig.eigenvalues[k] - eig.eigenvalues[j])
            })
            .sum::<f64>()
    };
    let want = SMatrix::<f64, 2, 2>::new(
        second(&e, &e),
        second(&e, &f),
        second(&f, &e),
        second(&f, &f),
    );
    let (_, g2, h) = hessian(
        |p| {
            lambda_min(&SVector::<_, 9>::from_column_slice(
                along(a, e, f, p).as_slice(),
            ))
        },
        &SVector::from([0.0, 0.0]),
    );
    close_mat_cf(
        "first order along E, F",
        &g2,
        &SVector::from([v.dot(&(e * v)), v.dot(&(f * v))]),
    )
    .unwrap();
    close_mat_cf("second order", &h, &want).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Norms
// ---------------------------------------------------------------------------------------------

#[test]
fn norm_gradient_is_unit_vector_and_hessian_is_projector() {
    fn prop(raw: [f64; 3]) -> TestResult {
        let Some(x) = vec_in_box(raw, -3.0, 3.0) else {
            return TestResult::discard();
        };
        let n = x.norm();
        if n < 1e-3 {
            return TestResult::discard();
        }
        let u = x / n;
        let (v, g) = gradient(|x| x.norm(), &x);
        let (_, _, h) = hessian(|x| x.norm(), &x);
        let (_, g_sq) = gradient(|x| x.norm_squared(), &x);
        let proj = (M3::identity() - u * u.transpose()) / n;
        let (_, j) = jacobian(|x| x.normalize(), &x);
        verdict(
            close_cf("‖x‖", v, n)
                .and(close_mat_cf("∇‖x‖ = x/‖x‖", &g, &u))
                .and(close_mat_cf("∇²‖x‖ = (I − uuᵀ)/‖x‖", &h, &proj))
                .and(close_mat_cf("∇‖x‖² = 2x", &g_sq, &(x * 2.0)))
                .and(close_mat_cf("∂ normalize = (I − uuᵀ)/‖x‖", &j, &proj)),
        )
    }
    check_n(300, prop as fn([f64; 3]) -> TestResult);
}

#[test]
fn norm_at_the_origin_has_gradient_zero_at_every_order() {
    let o = V3::zeros();
    assert_eq!(gradient(|x| x.norm(), &o), (0.0, V3::zeros()));
    // The norm's Hessian at the origin is undefined (a kink in every direction); the jets give
    // the limit of the smoothed norm, +∞ on the diagonal and 0 off it, never NaN (issue 10's
    // second-order convention, tests/diff/second_order.rs).
    let (v, g, h) = hessian(|x| x.norm(), &o);
    assert_eq!((v, g), (0.0, V3::zeros()));
    let want = M3::from_fn(|i, j| if i == j { f64::INFINITY } else { 0.0 });
    assert_eq!(h, want, "{h}");
    // ‖x‖² is smooth there, but computed through the norm the program passes a point where its
    // intermediate has no second derivative: the gradient is exactly 0, the diagonal of the
    // Hessian is 0·∞ = NaN (what forward mode can know), the off-diagonal 0. Written as
    // `norm_squared()` the same function has its exact Hessian 2I.
    let (_, g, h) = hessian(|x| x.norm().powi(2), &o);
    assert_eq!(g, V3::zeros());
    assert!(
        h.iter()
            .enumerate()
            .all(|(k, e)| if k % 4 == 0 { e.is_nan() } else { *e == 0.0 }),
        "{h}"
    );
    let (_, g, h) = hessian(|x| x.norm_squared(), &o);
    assert_eq!((g, h), (V3::zeros(), M3::identity() * 2.0));
}

#[test]
fn amax_follows_the_largest_entry() {
    let x = V3::new(1.0, -4.0, 2.0);
    let (v, g) = gradient(|x| x.amax(), &x);
    assert_eq!((v, g), (4.0, V3::new(0.0, -1.0, 0.0)));
}

// ---------------------------------------------------------------------------------------------
// Matrix exponential: ∂ tr exp(A)/∂A = exp(A)ᵀ; second order against Ridders
// ---------------------------------------------------------------------------------------------

fn trace_exp<T: Scalar>(x: &SVector<T, 9>) -> T {
    (mat_of(x) * T::lift(0.3)).exp().trace()
}

#[test]
fn matrix_exponential_first_and_second_order() {
    let a = a0();
    let (v, g) = gradient(trace_exp, &vec9(&a));
    let ea = (a * 0.3).exp();
    close_cf("tr exp", v, ea.trace()).unwrap();
    close_mat_cf(
        "∂ tr exp(0.3A)/∂A = 0.3 exp(0.3A)ᵀ",
        &g,
        &vec9(&(ea.transpose() * 0.3)),
    )
    .unwrap();
    // the Hessian's column j is the gradient of ∂f/∂x_j, against Ridders on the jet gradient
    let (_, _, h) = hessian(trace_exp, &vec9(&a));
    for j in 0..9 {
        let (col, err) = ridders_gradient(|x| gradient(trace_exp, x).1[j], &vec9(&a));
        for i in 0..9 {
            let tol = 1e-8 + 10.0 * err[i];
            assert!(
                (h[(i, j)] - col[i]).abs() <= tol,
                "H[{i},{j}] = {} vs {}",
                h[(i, j)],
                col[i]
            );
        }
    }
}

#[test]
fn determinant_hessian_closed_form() {
    // ∂² det / ∂A_ij ∂A_kl = det · (A⁻¹_ji A⁻¹_lk − A⁻¹_li A⁻¹_jk)
    let a = a0();
    let (ai, d) = (inv(&a), a.determinant());
    let (_, _, h) = hessian(|x| mat_of(x).determinant(), &vec9(&a));
    let want = SMatrix::<f64, 9, 9>::from_fn(|p, q| {
        let (i, j, k, l) = (p % 3, p / 3, q % 3, q / 3);
        d * (ai[(j, i)] * ai[(l, k)] - ai[(l, i)] * ai[(j, k)])
    });
    close_mat_cf("hessian of det", &h, &want).unwrap();
}

#[test]
fn norm_squared_normalize_amax_and_scale_at_second_order() {
    let x = V3::new(0.6, -1.2, 2.0);
    let (_, g, h) = hessian(|x| x.norm_squared(), &x);
    close_mat_cf("∇‖x‖² = 2x", &g, &(x * 2.0)).unwrap();
    close_mat_cf("∇²‖x‖² = 2I", &h, &(M3::identity() * 2.0)).unwrap();
    // c · normalize(x): Hessian against Ridders differences of the (exact) gradient
    let c = V3::new(0.3, 0.5, -0.8);
    let f = |x: &SVector<Jet<Jet<f64, 3>, 3>, 3>| x.normalize().dot(&c.map(Jet::lift));
    let (_, _, h) = hessian(f, &x);
    for j in 0..3 {
        let (col, err) = ridders_gradient(
            |x| gradient(|x| x.normalize().dot(&c.map(Jet::lift)), x).1[j],
            &x,
        );
        for i in 0..3 {
            assert!(
                (h[(i, j)] - col[i]).abs() <= 1e-9 + 10.0 * err[i],
                "H[{i},{j}]"
            );
        }
    }
    // amax is piecewise linear: gradient ±e_k, Hessian 0
    let (_, g, h) = hessian(|x| x.amax(), &x);
    assert_eq!((g, h), (V3::new(0.0, 0.0, 1.0), M3::zeros()));
    // generic `matrix * 2.0` is `scale_f64(2.0)`
    let (_, g, h) = hessian(|x| x.scale_f64(2.0).norm_squared(), &x);
    close_mat_cf("∇‖2x‖² = 8x", &g, &(x * 8.0)).unwrap();
    close_mat_cf("∇²‖2x‖² = 8I", &h, &(M3::identity() * 8.0)).unwrap();
}

/// The envelope: the gradient of ln det of an 8×8 matrix (64 variables) through LU and
/// Cholesky in a debug build on a 2 MiB thread, against A⁻ᵀ.
#[test]
fn sixty_four_variables_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let a = SMatrix::<f64, 8, 8>::from_fn(|i, j| {
                if i == j {
                    10.0 + i as f64
                } else {
                    1.0 / (1.0 + (i + 2 * j) as f64)
                }
            });
            let spd = a * a.transpose();
            let x = SVector::<f64, 64>::from_column_slice(spd.as_slice());
            let (v, g) = gradient(
                |x| {
                    let m = SMatrix::<_, 8, 8>::from_column_slice(x.as_slice());
                    let l = m.cholesky().expect("spd").l();
                    let lu_det = m.lu().determinant();
                    // ln det = 2 Σ ln Lᵢᵢ, and the LU determinant agrees
                    l.diagonal().map(|d| d.ln()).sum() * 2.0 + (lu_det / lu_det).ln()
                },
                &x,
            );
            close_cf("ln det", v, spd.determinant().ln()).unwrap();
            // Cholesky reads the lower triangle only: ∂/∂A_ij = (2 − δᵢⱼ) A⁻¹_ij for i ≥ j
            let ai = spd.try_inverse().unwrap();
            let want = SMatrix::<f64, 8, 8>::from_fn(|i, j| match i.cmp(&j) {
                std::cmp::Ordering::Greater => 2.0 * ai[(i, j)],
                std::cmp::Ordering::Equal => ai[(i, j)],
                std::cmp::Ordering::Less => 0.0,
            });
            close_mat_cf(
                "∇ ln det via Cholesky",
                &g,
                &SVector::<f64, 64>::from_column_slice(want.as_slice()),
            )
            .unwrap();
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow, no panic");
}

/// `powd` (nalgebra's `powf(self, Self)`) with a jet exponent: d(xʸ) = y xʸ⁻¹ dx + xʸ ln x dy,
/// at first and second order, and ∂(0ʸ)/∂y = 0 for y > 0.
#[test]
fn powf_with_a_variable_exponent() {
    let p = SVector::from([1.7, 2.3]);
    let (v, g, h) = hessian(|p| p[0].powd(p[1]), &p);
    let (x, y) = (p[0], p[1]);
    let l = x.ln();
    close_cf("xʸ", v, x.powf(y)).unwrap();
    close_mat_cf(
        "∇xʸ",
        &g,
        &SVector::from([y * x.powf(y - 1.0), x.powf(y) * l]),
    )
    .unwrap();
    let hxy = x.powf(y - 1.0) * (1.0 + y * l);
    let want =
        SMatrix::<f64, 2, 2>::new(y * (y - 1.0) * x.powf(y - 2.0), hxy, hxy, x.powf(y) * l * l);
    close_mat_cf("∇²xʸ", &h, &want).unwrap();
    let (v, g) = gradient(|p| p[0].powd(p[1]), &SVector::from([0.0, 2.5]));
    assert_eq!((v, g[1]), (0.0, 0.0));
}
