//! The elementary functions as inherent methods of [`Jet`], taking `self` by value.
//!
//! A `Jet` implements three traits that name the same functions: num-dual's `DualNum`,
//! nalgebra's `ComplexField` and num-traits' `Float`. Inherent methods take precedence over all
//! of them, so a concrete call such as `x[0].sin()` in a closure is never ambiguous, whichever
//! of those traits are in scope. Each forwards to the single implementation of the rule.
//! Generic code does not see these methods: over `T: Scalar` it calls nalgebra's vocabulary,
//! over `T: Float` num-traits'.

use super::Jet;
use crate::AnyScalar;
use nalgebra::{ComplexField, RealField};
use num_dual::DualNum;
use num_traits::Signed;

/// `fn name(self) -> Self`, forwarding to `DualNum`.
macro_rules! unary {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self) -> Self {
            DualNum::$name(&self)
        }
    )*};
}

impl<T: AnyScalar, const N: usize, const S: bool> Jet<T, N, S> {
    unary!(
        /// `eˣ`.
        ///
        /// ```
        /// use dualgrad::Jet;
        /// let y = Jet::<f64, 1>::variable(0.0, 0).exp();
        /// assert_eq!((y.re, y.eps), (1.0, [1.0]));
        /// ```
        exp,
        /// `2ˣ`.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(1.0, 0).exp2();
        /// assert_eq!((y.re, y.eps), (2.0, [2.0 * std::f64::consts::LN_2]));
        /// ```
        exp2,
        /// `eˣ − 1`, accurate near 0.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).exp_m1();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        exp_m1,
        /// The natural logarithm.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(2.0, 0).ln();
        /// assert_eq!((y.re, y.eps), (2.0_f64.ln(), [0.5]));
        /// ```
        ln,
        /// `ln(1 + x)`, accurate near 0.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(1.0, 0).ln_1p();
        /// assert_eq!((y.re, y.eps), (2.0_f64.ln(), [0.5]));
        /// ```
        ln_1p,
        /// The base-2 logarithm.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(4.0, 0).log2();
        /// assert_eq!((y.re, y.eps), (2.0, [std::f64::consts::LOG2_E / 4.0]));
        /// ```
        log2,
        /// The base-10 logarithm.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(10.0, 0).log10();
        /// assert_eq!((y.re, y.eps), (1.0, [std::f64::consts::LOG10_E / 10.0]));
        /// ```
        log10,
        /// The square root (NaN-safe: a zero tangent stays zero at `x = 0`).
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(4.0, 0).sqrt();
        /// assert_eq!((y.re, y.eps), (2.0, [0.25]));
        /// ```
        sqrt,
        /// The cube root.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(8.0, 0).cbrt();
        /// assert_eq!((y.re, y.eps), (2.0, [1.0 / 12.0]));
        /// ```
        cbrt,
        /// `1 / x`.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(2.0, 0).recip();
        /// assert_eq!((y.re, y.eps), (0.5, [-0.25]));
        /// ```
        recip,
        /// The sine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).sin();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        sin,
        /// The cosine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).cos();
        /// assert_eq!((y.re, y.eps), (1.0, [-0.0]));
        /// ```
        cos,
        /// The tangent.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).tan();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        tan,
        /// The arcsine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).asin();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        asin,
        /// The arccosine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).acos();
        /// assert_eq!((y.re, y.eps), (std::f64::consts::FRAC_PI_2, [-1.0]));
        /// ```
        acos,
        /// The arctangent.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(1.0, 0).atan();
        /// assert_eq!((y.re, y.eps), (std::f64::consts::FRAC_PI_4, [0.5]));
        /// ```
        atan,
        /// The hyperbolic sine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).sinh();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        sinh,
        /// The hyperbolic cosine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).cosh();
        /// assert_eq!((y.re, y.eps), (1.0, [0.0]));
        /// ```
        cosh,
        /// The hyperbolic tangent.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).tanh();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        tanh,
        /// The inverse hyperbolic sine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.0, 0).asinh();
        /// assert_eq!((y.re, y.eps), (0.0, [1.0]));
        /// ```
        asinh,
        /// The inverse hyperbolic cosine.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(1.25, 0).acosh();
        /// assert_eq!(y.eps, [1.0 / 0.75]); // 1/√(x² − 1) = 1/0.75
        /// ```
        acosh,
        /// The inverse hyperbolic tangent.
        ///
        /// ```
        /// let y = dualgrad::Jet::<f64, 1>::variable(0.5, 0).atanh();
        /// assert_eq!(y.eps, [1.0 / 0.75]); // 1/(1 − x²)
        /// ```
        atanh,
    );

    /// `sin` and `cos` together.
    ///
    /// ```
    /// let (s, c) = dualgrad::Jet::<f64, 1>::variable(0.0, 0).sin_cos();
    /// assert_eq!((s.eps, c.re), ([1.0], 1.0));
    /// ```
    #[inline]
    pub fn sin_cos(self) -> (Self, Self) {
        DualNum::sin_cos(&self)
    }

    /// `xⁿ` for an integer `n`.
    ///
    /// ```
    /// let y = dualgrad::Jet::<f64, 1>::variable(2.0, 0).powi(3);
    /// assert_eq!((y.re, y.eps), (8.0, [12.0]));
    /// ```
    #[inline]
    pub fn powi(self, n: i32) -> Self {
        DualNum::powi(&self, n)
    }

    /// `xⁿ` for a constant exponent of the primitive (`f64` or `f32`).
    ///
    /// ```
    /// let y = dualgrad::Jet::<f64, 1>::variable(4.0, 0).powf(1.5);
    /// assert_eq!((y.re, y.eps), (8.0, [3.0]));
    /// ```
    #[inline]
    pub fn powf(self, n: T::Primitive) -> Self {
        DualNum::powf(&self, n)
    }

    /// `xʸ` for a jet exponent: `d(xʸ) = y xʸ⁻¹ dx + xʸ ln(x) dy`.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let x = Jet::<f64, 2>::variable(2.0, 0);
    /// let y = Jet::<f64, 2>::variable(3.0, 1);
    /// let z = x.powd(y);
    /// assert_eq!(z.re, 8.0);
    /// assert_eq!(z.eps, [12.0, 8.0 * 2.0_f64.ln()]);
    /// ```
    #[inline]
    pub fn powd(self, n: Self) -> Self {
        ComplexField::powf(self, n)
    }

    /// The logarithm in base `base`.
    ///
    /// ```
    /// let y = dualgrad::Jet::<f64, 1>::variable(8.0, 0).log(2.0);
    /// assert_eq!(y.re, 3.0);
    /// ```
    #[inline]
    pub fn log(self, base: T::Primitive) -> Self {
        DualNum::log(&self, base)
    }

    /// `atan2(self, x)`, the angle of the point `(x, self)`.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let y = Jet::<f64, 2>::variable(1.0, 0);
    /// let x = Jet::<f64, 2>::variable(1.0, 1);
    /// let a = y.atan2(x);
    /// assert_eq!(a.eps, [0.5, -0.5]); // (x, −y) / (x² + y²)
    /// ```
    #[inline]
    pub fn atan2(self, x: Self) -> Self {
        DualNum::atan2(&self, x)
    }

    /// `self · a + b`.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let x = Jet::<f64, 1>::variable(2.0, 0);
    /// let y = x.mul_add(x, Jet::constant(1.0));
    /// assert_eq!((y.re, y.eps), (5.0, [4.0]));
    /// ```
    #[inline]
    pub fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }

    /// `√(self² + other²)`; at the origin the derivative is `0`.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let h = Jet::<f64, 1>::variable(3.0, 0).hypot(Jet::constant(4.0));
    /// assert_eq!((h.re, h.eps), (5.0, [0.6]));
    /// ```
    #[inline]
    pub fn hypot(self, other: Self) -> Self {
        ComplexField::hypot(self, other)
    }

    /// The absolute value; at `0` the derivative is `+1` (the branch `x ≥ 0`).
    ///
    /// ```
    /// let y = dualgrad::Jet::<f64, 1>::variable(-2.0, 0).abs();
    /// assert_eq!((y.re, y.eps), (2.0, [-1.0]));
    /// ```
    #[inline]
    pub fn abs(self) -> Self {
        Signed::abs(&self)
    }

    /// The sign of the value, `±1` (a constant).
    ///
    /// ```
    /// let y = dualgrad::Jet::<f64, 1>::variable(-2.0, 0).signum();
    /// assert_eq!((y.re, y.eps), (-1.0, [0.0]));
    /// ```
    #[inline]
    pub fn signum(self) -> Self {
        Signed::signum(&self)
    }

    /// The larger by real part, as [`f64::max`] (a NaN argument is ignored); the derivative
    /// follows the winner (on a tie, `self`).
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let m = Jet::<f64, 1>::variable(2.0, 0).max(Jet::constant(1.0));
    /// assert_eq!((m.re, m.eps), (2.0, [1.0]));
    /// let m = Jet::<f64, 1>::constant(f64::NAN).max(Jet::variable(1.0, 0));
    /// assert_eq!((m.re, m.eps), (1.0, [1.0]));
    /// ```
    #[inline]
    pub fn max(self, other: Self) -> Self {
        RealField::max(self, other)
    }

    /// The smaller by real part, as [`f64::min`] (a NaN argument is ignored); the derivative
    /// follows the winner (on a tie, `self`).
    ///
    /// ```
    /// use dualgrad::Jet;
    /// let m = Jet::<f64, 1>::variable(2.0, 0).min(Jet::constant(1.0));
    /// assert_eq!((m.re, m.eps), (1.0, [0.0]));
    /// ```
    #[inline]
    pub fn min(self, other: Self) -> Self {
        RealField::min(self, other)
    }

    /// Whether the value is finite.
    ///
    /// ```
    /// assert!(dualgrad::Jet::<f64, 1>::variable(2.0, 0).is_finite());
    /// ```
    #[inline]
    pub fn is_finite(self) -> bool {
        ComplexField::is_finite(&self)
    }
}
