//! Sensitivities through linear algebra in a small physical model: a chain of four unit masses
//! between two walls, joined by five springs of stiffness k₀ … k₄, under a fixed load f.
//!
//! - the equilibrium `K(k) u = f` (a Cholesky solve), its compliance `C = fᵀu` (the work of the
//!   load; smaller is stiffer), and
//! - the lowest vibration eigenvalue `λ_min` of `K(k)` (unit masses: `ω² = λ`),
//!
//! are written once over `T: Scalar` and differentiated with respect to the five stiffnesses
//! with `gradient` and `hessian`. The example checks every derivative against Ridders finite
//! differences (and the gradients against their closed forms, `∂C/∂kⱼ = −eⱼ²` and
//! `∂λ/∂kⱼ = dⱼ²` with `eⱼ`, `dⱼ` the elongation of spring j under `u` and under the unit mode)
//! and exits with status 1 if any disagrees.
//!
//! `cargo run --example sensitivity`

use dualgrad::check::ridders_gradient;
use dualgrad::jet::MixedOps;
use dualgrad::{Scalar, gradient, hessian};
use nalgebra::{SMatrix, SVector};
use std::process::ExitCode;

const LOAD: [f64; 4] = [1.0, -0.5, 2.0, 0.75];

/// The stiffness matrix of the chain: spring j joins node j − 1 and node j (walls at both ends).
fn stiffness<T: Scalar>(k: &SVector<T, 5>) -> SMatrix<T, 4, 4> {
    SMatrix::from_fn(|i, j| {
        if i == j {
            k[i] + k[i + 1]
        } else if j == i + 1 {
            -k[j]
        } else if i == j + 1 {
            -k[i]
        } else {
            T::zero()
        }
    })
}

/// The equilibrium displacements `u = K(k)⁻¹ f`.
fn displacements<T: Scalar>(k: &SVector<T, 5>) -> SVector<T, 4> {
    let f = SVector::from(LOAD).map(T::lift);
    stiffness(k)
        .cholesky()
        .expect("positive stiffnesses give an SPD matrix")
        .solve(&f)
}

/// The compliance `fᵀu` (f stays `f64` data).
fn compliance<T: Scalar>(k: &SVector<T, 5>) -> T {
    displacements(k).dot_f64(&SVector::from(LOAD))
}

/// The lowest eigenvalue of `K(k)`.
fn lowest_eigenvalue<T: Scalar>(k: &SVector<T, 5>) -> T {
    stiffness(k).symmetric_eigenvalues().min()
}

/// Spring elongations of a displacement field (walls fixed at 0).
fn elongations(u: &SVector<f64, 4>) -> SVector<f64, 5> {
    SVector::from_fn(|j, _| {
        let left = if j == 0 { 0.0 } else { u[j - 1] };
        let right = if j == 4 { 0.0 } else { u[j] };
        right - left
    })
}

/// `|a − b| ≤ 10·err + 1e-9·max(1, |b|)`, reported.
fn agree(what: &str, a: &SVector<f64, 5>, b: &SVector<f64, 5>, err: &SVector<f64, 5>) -> bool {
    let ok = (0..5).all(|i| (a[i] - b[i]).abs() <= 10.0 * err[i] + 1e-9 * b[i].abs().max(1.0));
    let worst = (a - b).amax();
    println!(
        "  {what:<44} max |diff| = {worst:.1e}  {}",
        if ok { "ok" } else { "DISAGREE" }
    );
    ok
}

fn main() -> ExitCode {
    let k = SVector::from([3.0, 1.5, 2.0, 4.0, 2.5]);
    let mut ok = true;

    let (c, dc) = gradient(compliance, &k);
    let (_, _, hc) = hessian(compliance, &k);
    let (l, dl) = gradient(lowest_eigenvalue, &k);
    let (_, _, hl) = hessian(lowest_eigenvalue, &k);
    println!("stiffnesses k = {:?}", k.as_slice());
    println!("compliance fᵀu = {c:.6}, ∂C/∂k = {:.6?}", dc.as_slice());
    println!(
        "lowest eigenvalue λ = {l:.6}, ∂λ/∂k = {:.6?}",
        dl.as_slice()
    );

    println!("checks:");
    // closed forms of the gradients
    let u = displacements(&k);
    let e = elongations(&u);
    let eig = stiffness(&k).symmetric_eigen();
    let v = eig.eigenvectors.column(eig.eigenvalues.imin()).into_owned();
    let d = elongations(&v);
    let zero = SVector::<f64, 5>::zeros();
    ok &= agree(
        "∂C/∂kⱼ = −eⱼ² (closed form)",
        &dc,
        &(-e.component_mul(&e)),
        &zero,
    );
    ok &= agree(
        "∂λ/∂kⱼ = dⱼ² (closed form)",
        &dl,
        &d.component_mul(&d),
        &zero,
    );
    // Ridders differences of the f64 functions and of the AD gradients (for the Hessians)
    let (fd, err) = ridders_gradient(compliance, &k);
    ok &= agree("∂C/∂k vs Ridders", &dc, &fd, &err);
    let (fd, err) = ridders_gradient(lowest_eigenvalue, &k);
    ok &= agree("∂λ/∂k vs Ridders", &dl, &fd, &err);
    for j in 0..5 {
        let (fd, err) = ridders_gradient(|k| gradient(compliance, k).1[j], &k);
        ok &= agree(
            &format!("∂²C/∂k∂k{j} vs Ridders"),
            &hc.column(j).into_owned(),
            &fd,
            &err,
        );
        let (fd, err) = ridders_gradient(|k| gradient(lowest_eigenvalue, k).1[j], &k);
        ok &= agree(
            &format!("∂²λ/∂k∂k{j} vs Ridders"),
            &hl.column(j).into_owned(),
            &fd,
            &err,
        );
    }
    if ok {
        println!("all sensitivities agree");
        ExitCode::SUCCESS
    } else {
        println!("some sensitivities DISAGREE");
        ExitCode::FAILURE
    }
}
