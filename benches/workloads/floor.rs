//! The floor of naive forward mode: a minimal hand-rolled dual number (`value: f64`,
//! `partials: [f64; N]`, `#[inline(always)]` operators, no NaN-safety checks, no traits beyond
//! the operators) and the workloads' losses written for it, line for line as the generic losses
//! in `mod.rs`. What dualgrad's generic engine pays above this is its overhead.

use super::{IRIS_SAMPLES, IrisData, LOGISTIC_SAMPLES, LogisticData, XOR_X, XOR_Y};
use nalgebra::SVector;
use std::ops::{Add, AddAssign, Mul, Neg, Sub};

/// A value and `N` partial derivatives.
#[derive(Clone, Copy)]
pub struct Dual<const N: usize> {
    value: f64,
    partials: [f64; N],
}

impl<const N: usize> Dual<N> {
    #[inline(always)]
    fn constant(value: f64) -> Self {
        Self {
            value,
            partials: [0.0; N],
        }
    }

    #[inline(always)]
    fn variable(value: f64, i: usize) -> Self {
        let mut d = Self::constant(value);
        d.partials[i] = 1.0;
        d
    }

    /// `f(self)` with `f(x) = value`, `f'(x) = slope`.
    #[inline(always)]
    fn chain(self, value: f64, slope: f64) -> Self {
        let mut partials = self.partials;
        for p in &mut partials {
            *p *= slope;
        }
        Self { value, partials }
    }

    #[inline(always)]
    fn tanh(self) -> Self {
        let t = self.value.tanh();
        self.chain(t, 1.0 - t * t)
    }

    #[inline(always)]
    fn exp(self) -> Self {
        let e = self.value.exp();
        self.chain(e, e)
    }

    #[inline(always)]
    fn ln(self) -> Self {
        self.chain(self.value.ln(), 1.0 / self.value)
    }

    #[inline(always)]
    fn ln_1p(self) -> Self {
        self.chain(self.value.ln_1p(), 1.0 / (1.0 + self.value))
    }
}

impl<const N: usize> Add for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn add(mut self, o: Self) -> Self {
        self.value += o.value;
        for (p, q) in self.partials.iter_mut().zip(o.partials) {
            *p += q;
        }
        self
    }
}

impl<const N: usize> AddAssign for Dual<N> {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}

impl<const N: usize> Sub for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(mut self, o: Self) -> Self {
        self.value -= o.value;
        for (p, q) in self.partials.iter_mut().zip(o.partials) {
            *p -= q;
        }
        self
    }
}

impl<const N: usize> Mul for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        let mut partials = [0.0; N];
        for (i, p) in partials.iter_mut().enumerate() {
            *p = self.partials[i] * o.value + self.value * o.partials[i];
        }
        Self {
            value: self.value * o.value,
            partials,
        }
    }
}

impl<const N: usize> Mul<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(mut self, c: f64) -> Self {
        self.value *= c;
        for p in &mut self.partials {
            *p *= c;
        }
        self
    }
}

impl<const N: usize> Add<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn add(mut self, c: f64) -> Self {
        self.value += c;
        self
    }
}

impl<const N: usize> Sub<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(mut self, c: f64) -> Self {
        self.value -= c;
        self
    }
}

impl<const N: usize> Neg for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self * -1.0
    }
}

#[inline(always)]
fn seed<const N: usize>(p: &SVector<f64, N>) -> [Dual<N>; N] {
    std::array::from_fn(|i| Dual::variable(p[i], i))
}

#[inline(always)]
fn result<const N: usize>(d: Dual<N>) -> (f64, SVector<f64, N>) {
    (d.value, SVector::from(d.partials))
}

/// The XOR loss of `mod.rs` on the floor dual.
pub fn xor_gradient(p: &SVector<f64, 13>) -> (f64, SVector<f64, 13>) {
    let p = seed(p);
    let mut total = Dual::constant(0.0);
    for (x, y) in XOR_X.iter().zip(XOR_Y) {
        let mut out = p[12];
        for i in 0..3 {
            let z = p[i] * x[0] + p[3 + i] * x[1] + p[6 + i];
            out += p[9 + i] * z.tanh();
        }
        let d = out - y;
        total += d * d;
    }
    result(total * 0.25)
}

/// The Rosenbrock function of `mod.rs` on the floor dual.
pub fn rosenbrock_gradient<const N: usize>(x: &SVector<f64, N>) -> (f64, SVector<f64, N>) {
    let x = seed(x);
    let mut s = Dual::constant(0.0);
    for i in 0..N - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        s += a * a * 100.0 + b * b;
    }
    result(s)
}

/// The iris MLP loss of `mod.rs` on the floor dual (softmax cross-entropy as log-sum-exp with
/// the maximum shifted out, as `dualgrad::functions::softmax_cross_entropy`).
pub fn iris_gradient(p: &SVector<f64, 67>, d: &IrisData) -> (f64, SVector<f64, 67>) {
    let p = seed(p);
    let mut total = Dual::constant(0.0);
    for (x, &label) in d.x.iter().zip(&d.y) {
        let h: [Dual<67>; 8] = std::array::from_fn(|j| {
            let mut z = p[32 + j];
            for (f, &xf) in x.iter().enumerate() {
                z += p[4 * j + f] * xf;
            }
            z.tanh()
        });
        let logits: [Dual<67>; 3] = std::array::from_fn(|k| {
            let mut z = p[64 + k];
            for (j, &hj) in h.iter().enumerate() {
                z += p[40 + 8 * k + j] * hj;
            }
            z
        });
        let m = logits.iter().fold(f64::NEG_INFINITY, |m, z| m.max(z.value));
        let mut sum = Dual::constant(0.0);
        for z in logits {
            sum += (z - m).exp();
        }
        total += sum.ln() + m - logits[label];
    }
    result(total * (1.0 / IRIS_SAMPLES as f64))
}

/// The logistic-regression loss of `mod.rs` on the floor dual (`softplus(z) − z y` as
/// `dualgrad::functions::bce_with_logits`).
pub fn logistic_gradient(p: &SVector<f64, 11>, d: &LogisticData) -> (f64, SVector<f64, 11>) {
    let p = seed(p);
    let mut total = Dual::constant(0.0);
    for (x, &y) in d.x.iter().zip(&d.y) {
        let mut z = p[10];
        for (f, &xf) in x.iter().enumerate() {
            z += p[f] * xf;
        }
        let softplus = if z.value > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        total += softplus - z * y;
    }
    result(total * (1.0 / LOGISTIC_SAMPLES as f64))
}

/// The iris MLP with the softmax cross-entropy written out (`iris_loss_plain` of `mod.rs`) on
/// the floor dual.
pub fn iris_plain_gradient(p: &SVector<f64, 67>, d: &IrisData) -> (f64, SVector<f64, 67>) {
    let p = seed(p);
    let mut total = Dual::constant(0.0);
    for (x, &label) in d.x.iter().zip(&d.y) {
        let h: [Dual<67>; 8] = std::array::from_fn(|j| {
            let mut z = p[32 + j];
            for (f, &xf) in x.iter().enumerate() {
                z += p[4 * j + f] * xf;
            }
            z.tanh()
        });
        let logits: [Dual<67>; 3] = std::array::from_fn(|k| {
            let mut z = p[64 + k];
            for (j, &hj) in h.iter().enumerate() {
                z += p[40 + 8 * k + j] * hj;
            }
            z
        });
        let mut sum = logits[0].exp();
        for z in &logits[1..] {
            sum += z.exp();
        }
        total += sum.ln() - logits[label];
    }
    result(total * (1.0 / IRIS_SAMPLES as f64))
}

/// The logistic regression with the binary cross-entropy written out (`logistic_loss_plain`
/// of `mod.rs`) on the floor dual.
pub fn logistic_plain_gradient(p: &SVector<f64, 11>, d: &LogisticData) -> (f64, SVector<f64, 11>) {
    let p = seed(p);
    let mut total = Dual::constant(0.0);
    for (x, &y) in d.x.iter().zip(&d.y) {
        let mut z = p[10];
        for (f, &xf) in x.iter().enumerate() {
            z += p[f] * xf;
        }
        total += z.exp().ln_1p() - z * y;
    }
    result(total * (1.0 / LOGISTIC_SAMPLES as f64))
}

/// The product-rule-heavy function `products` of `mod.rs` on the floor dual.
pub fn products_gradient<const N: usize>(x: &SVector<f64, N>) -> (f64, SVector<f64, N>) {
    let x = seed(x);
    let mut acc = x[0];
    for &[i, j, c] in std::hint::black_box(&const { super::product_steps::<N>() }) {
        let a = x[i] * x[j];
        acc = acc * a * 0.5 + x[c] * acc - 0.25;
    }
    result(acc)
}

/// The floor of naive forward over forward, for Hessian-vector products: `Dual<Dual<N>>` with
/// one outer direction `v`, flattened. A value, its derivative along `v`, the `N` partials and
/// the `N` partials of the derivative along `v` (the entries of `H v`), with the same minimal
/// operators as [`Dual`]: what `hvp` costs when nothing is spent on anything else.
#[derive(Clone, Copy)]
pub struct AlongDual<const N: usize> {
    value: f64,
    along: f64,
    partials: [f64; N],
    along_partials: [f64; N],
}

impl<const N: usize> Add for AlongDual<N> {
    type Output = Self;
    #[inline(always)]
    fn add(mut self, o: Self) -> Self {
        self.value += o.value;
        self.along += o.along;
        for i in 0..N {
            self.partials[i] += o.partials[i];
            self.along_partials[i] += o.along_partials[i];
        }
        self
    }
}

impl<const N: usize> AddAssign for AlongDual<N> {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}

impl<const N: usize> Sub for AlongDual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(mut self, o: Self) -> Self {
        self.value -= o.value;
        self.along -= o.along;
        for i in 0..N {
            self.partials[i] -= o.partials[i];
            self.along_partials[i] -= o.along_partials[i];
        }
        self
    }
}

impl<const N: usize> Mul for AlongDual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        let mut partials = [0.0; N];
        let mut along_partials = [0.0; N];
        for i in 0..N {
            partials[i] = self.partials[i] * o.value + self.value * o.partials[i];
            along_partials[i] = self.along_partials[i] * o.value
                + self.value * o.along_partials[i]
                + self.partials[i] * o.along
                + self.along * o.partials[i];
        }
        Self {
            value: self.value * o.value,
            along: self.along * o.value + self.value * o.along,
            partials,
            along_partials,
        }
    }
}

impl<const N: usize> Mul<f64> for AlongDual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(mut self, c: f64) -> Self {
        self.value *= c;
        self.along *= c;
        for i in 0..N {
            self.partials[i] *= c;
            self.along_partials[i] *= c;
        }
        self
    }
}

impl<const N: usize> Sub<f64> for AlongDual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(mut self, c: f64) -> Self {
        self.value -= c;
        self
    }
}

/// Value, gradient and `H v` of the Rosenbrock function of `mod.rs` on the floor's nested dual,
/// in one pass.
pub fn rosenbrock_hvp<const N: usize>(
    x: &SVector<f64, N>,
    v: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SVector<f64, N>) {
    let x: [AlongDual<N>; N] = std::array::from_fn(|i| {
        let mut partials = [0.0; N];
        partials[i] = 1.0;
        AlongDual {
            value: x[i],
            along: v[i],
            partials,
            along_partials: [0.0; N],
        }
    });
    let mut s = AlongDual {
        value: 0.0,
        along: 0.0,
        partials: [0.0; N],
        along_partials: [0.0; N],
    };
    for i in 0..N - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        s += a * a * 100.0 + b * b;
    }
    (
        s.value,
        SVector::from(s.partials),
        SVector::from(s.along_partials),
    )
}
