//! Shared helpers of the model tests: an independent, hand-written backward pass for dense
//! networks (plain `Vec<f64>` code that shares nothing with the crate), central finite
//! differences, and a component-wise tolerance check.
//!
//! The crate's gradient checker is being written in parallel; until it is merged these tests
//! compare gradients component by component with `assert_close` below.

#![allow(dead_code)]
// index loops mirror the formulas of the backward pass
#![allow(clippy::needless_range_loop)]

/// An activation, by its closed-form value and derivative.
#[derive(Clone, Copy, Debug)]
pub enum Act {
    Identity,
    Tanh,
    Sigmoid,
    Relu,
}

impl Act {
    pub fn f(self, x: f64) -> f64 {
        match self {
            Act::Identity => x,
            Act::Tanh => x.tanh(),
            Act::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Act::Relu => x.max(0.0),
        }
    }
    pub fn df(self, x: f64) -> f64 {
        match self {
            Act::Identity => 1.0,
            Act::Tanh => 1.0 - x.tanh().powi(2),
            Act::Sigmoid => {
                let s = 1.0 / (1.0 + (-x).exp());
                s * (1.0 - s)
            }
            Act::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// A per-sample loss with its closed-form derivative in the outputs.
#[derive(Clone, Copy, Debug)]
pub enum LossKind {
    /// (o − y)², d/do = 2(o − y)
    Mse,
    /// softplus(z) − y z, d/dz = σ(z) − y
    Bce,
    /// logsumexp(z) − z[y], d/dz = softmax(z) − e_y (y is a class index stored as f64)
    Sce,
}

impl LossKind {
    pub fn value(self, o: &[f64], y: f64) -> f64 {
        match self {
            LossKind::Mse => (o[0] - y).powi(2),
            LossKind::Bce => {
                let z = o[0];
                z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z
            }
            LossKind::Sce => {
                let m = o.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                m + o.iter().map(|v| (v - m).exp()).sum::<f64>().ln() - o[y as usize]
            }
        }
    }
    pub fn grad(self, o: &[f64], y: f64) -> Vec<f64> {
        match self {
            LossKind::Mse => vec![2.0 * (o[0] - y)],
            LossKind::Bce => vec![1.0 / (1.0 + (-o[0]).exp()) - y],
            LossKind::Sce => {
                let m = o.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = o.iter().map(|v| (v - m).exp()).collect();
                let s: f64 = e.iter().sum();
                (0..o.len())
                    .map(|k| e[k] / s - if k == y as usize { 1.0 } else { 0.0 })
                    .collect()
            }
        }
    }
}

/// A dense network: `sizes[0]` inputs, then one layer per further size, each with its
/// activation. Flat parameter order (the crate's documented one): for each layer, W row by
/// row, then b.
pub struct Net {
    pub sizes: Vec<usize>,
    pub acts: Vec<Act>,
}

type Layer = (Vec<Vec<f64>>, Vec<f64>);

impl Net {
    pub fn len(&self) -> usize {
        self.sizes.windows(2).map(|w| w[1] * w[0] + w[1]).sum()
    }

    pub fn unflatten(&self, p: &[f64]) -> Vec<Layer> {
        assert_eq!(p.len(), self.len());
        let mut k = 0;
        let mut layers = Vec::new();
        for w in self.sizes.windows(2) {
            let (n_in, n_out) = (w[0], w[1]);
            let mut weights = vec![vec![0.0; n_in]; n_out];
            for row in weights.iter_mut() {
                for v in row.iter_mut() {
                    *v = p[k];
                    k += 1;
                }
            }
            let bias = p[k..k + n_out].to_vec();
            k += n_out;
            layers.push((weights, bias));
        }
        layers
    }

    /// Pre-activations and activations of every layer.
    fn forward(&self, layers: &[Layer], x: &[f64]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let mut zs = Vec::new();
        let mut acts = vec![x.to_vec()];
        for (l, (w, b)) in layers.iter().enumerate() {
            let a = acts.last().unwrap();
            let z: Vec<f64> = (0..b.len())
                .map(|o| b[o] + (0..a.len()).map(|i| w[o][i] * a[i]).sum::<f64>())
                .collect();
            acts.push(z.iter().map(|&v| self.acts[l].f(v)).collect());
            zs.push(z);
        }
        (zs, acts)
    }

    pub fn output(&self, p: &[f64], x: &[f64]) -> Vec<f64> {
        let layers = self.unflatten(p);
        self.forward(&layers, x).1.pop().unwrap()
    }

    /// The mean loss over the samples plus `(λ/2) Σ W²`, and its gradient, by backpropagation.
    pub fn backprop(
        &self,
        p: &[f64],
        xs: &[Vec<f64>],
        ys: &[f64],
        loss: LossKind,
        lambda: f64,
    ) -> (f64, Vec<f64>) {
        let layers = self.unflatten(p);
        let mut grads: Vec<Layer> = layers
            .iter()
            .map(|(w, b)| (vec![vec![0.0; w[0].len()]; w.len()], vec![0.0; b.len()]))
            .collect();
        let mut value = 0.0;
        for (x, &y) in xs.iter().zip(ys) {
            let (zs, acts) = self.forward(&layers, x);
            let out = acts.last().unwrap();
            value += loss.value(out, y);
            // dL/da of the last layer, then back through each layer
            let mut da = loss.grad(out, y);
            for l in (0..layers.len()).rev() {
                let g: Vec<f64> = (0..da.len())
                    .map(|o| da[o] * self.acts[l].df(zs[l][o]))
                    .collect();
                let a_prev = &acts[l];
                for o in 0..g.len() {
                    grads[l].1[o] += g[o];
                    for i in 0..a_prev.len() {
                        grads[l].0[o][i] += g[o] * a_prev[i];
                    }
                }
                da = (0..a_prev.len())
                    .map(|i| (0..g.len()).map(|o| layers[l].0[o][i] * g[o]).sum())
                    .collect();
            }
        }
        let n = xs.len() as f64;
        let mut penalty = 0.0;
        let mut flat = Vec::new();
        for ((w, _b), (gw, gb)) in layers.iter().zip(&grads) {
            for (row, grow) in w.iter().zip(gw) {
                for (v, gv) in row.iter().zip(grow) {
                    penalty += 0.5 * lambda * v * v;
                    flat.push(gv / n + lambda * v);
                }
            }
            for gv in gb {
                flat.push(gv / n);
            }
        }
        (value / n + penalty, flat)
    }
}

/// Central differences `(f(p + h eᵢ) − f(p − h eᵢ)) / 2h` with `h = 1e-6 · max(1, |pᵢ|)`.
pub fn finite_diff(f: impl Fn(&[f64]) -> f64, p: &[f64]) -> Vec<f64> {
    let mut q = p.to_vec();
    (0..p.len())
        .map(|i| {
            let h = 1e-6 * p[i].abs().max(1.0);
            q[i] = p[i] + h;
            let up = f(&q);
            q[i] = p[i] - h;
            let down = f(&q);
            q[i] = p[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// Assert `|a − b| ≤ atol + rtol · max(|a|, |b|)` component-wise, naming the first failing
/// component.
pub fn assert_close(what: &str, a: &[f64], b: &[f64], rtol: f64, atol: f64, names: &[String]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    for i in 0..a.len() {
        let tol = atol + rtol * a[i].abs().max(b[i].abs());
        assert!(
            (a[i] - b[i]).abs() <= tol,
            "{what}: component {i} ({}) differs: {} vs {} (tolerance {tol:e})",
            names.get(i).map_or("?", String::as_str),
            a[i],
            b[i]
        );
    }
}

/// `n` pseudo-random numbers uniform in `[lo, hi)`, from a small independent generator
/// (SplitMix64), so test inputs do not depend on the crate's own random code.
pub fn uniform(seed: u64, n: usize, lo: f64, hi: f64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}
