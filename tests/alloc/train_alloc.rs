//! The training loop allocates its buffers once: the number of heap allocations of a run does
//! not grow with the number of epochs or steps (counting global allocator, per thread).

use crate::counting_alloc;

use counting_alloc::allocations;

use dualgrad::objective::{Objective, Samples};
use dualgrad::optim::{AdamConfig, SgdConfig};
use dualgrad::train::{TrainConfig, train};
use nalgebra::SVector;

/// Mean ½(w·xᵢ + b − yᵢ)² over samples; evaluating it allocates nothing.
struct Line {
    x: Vec<f64>,
    y: Vec<f64>,
}

impl Samples for Line {
    fn len(&self) -> usize {
        self.x.len()
    }
}
impl Objective<2> for Line {
    fn loss_and_gradient(&self, p: &SVector<f64, 2>, idx: &[usize]) -> (f64, SVector<f64, 2>) {
        let (mut l, mut gw, mut gb) = (0.0, 0.0, 0.0);
        for &i in idx {
            let r = p[0] * self.x[i] + p[1] - self.y[i];
            l += 0.5 * r * r;
            gw += r * self.x[i];
            gb += r;
        }
        let n = idx.len() as f64;
        (l / n, SVector::from([gw / n, gb / n]))
    }
}

fn line() -> Line {
    let x: Vec<f64> = (0..50).map(|i| i as f64 / 50.0).collect();
    let y = x.iter().map(|x| 2.0 * x + 0.5).collect();
    Line { x, y }
}

#[test]
fn allocations_do_not_grow_with_epochs_or_steps() {
    let data = line();
    let run = |epochs: usize, batch: Option<usize>| {
        let cfg = TrainConfig::default().with_epochs(epochs).with_seed(3);
        let cfg = match batch {
            Some(b) => cfg.with_batch_size(b),
            None => cfg,
        };
        let cfg = cfg.without_grad_tol();
        let mut sgd = SgdConfig::default()
            .with_lr(0.1)
            .with_momentum(0.9)
            .build()
            .unwrap();
        let mut adam = AdamConfig::default().with_lr(0.01).build().unwrap();
        let a = allocations(|| {
            let r = train(&data, SVector::zeros(), &mut sgd, &cfg, |_| {}).unwrap();
            assert_eq!(r.iterations, epochs);
        });
        let b = allocations(|| {
            let r = train(&data, SVector::zeros(), &mut adam, &cfg, |_| {}).unwrap();
            assert_eq!(r.iterations, epochs);
        });
        assert_eq!(a, b);
        a
    };
    // Full batch: the index list and the history.
    assert_eq!(run(10, None), 2);
    assert_eq!(run(1000, None), 2);
    // Mini-batches (7 per epoch): also the shuffled index list.
    assert_eq!(run(10, Some(8)), 3);
    assert_eq!(run(500, Some(8)), 3);
}
