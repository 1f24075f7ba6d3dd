//! A DARTS run interrupted after a search epoch and resumed from its
//! checkpoint must end exactly as the uninterrupted run: the same epoch
//! records, the same derived cell, the same retrained accuracy. This is its
//! own test binary because the tests of one binary share Burn's device RNG.

use std::sync::Mutex;

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::darts::{DartsConfig, DartsRun, DartsSummary, EpochRecord};

/// Building a run seeds the device RNG and draws from it: runs built by two
/// tests at once would draw each other's numbers.
static DEVICE: Mutex<()> = Mutex::new(());

/// Small enough to take a few seconds: 3 nodes, width 4, 400 images.
fn tiny() -> DartsConfig {
    DartsConfig {
        epochs: 3,
        retrain_epochs: 3,
        width: 4,
        nodes: 3,
        limit: 400,
        ..DartsConfig::default()
    }
}

fn finish(mut run: DartsRun) -> DartsSummary {
    while !block_on(run.step()).expect("step").done {}
    run.summary()
}

/// Steps until `epoch` search epochs have closed, then takes the checkpoint.
fn checkpoint_after(run: &mut DartsRun, epoch: usize) -> Vec<u8> {
    loop {
        let report = block_on(run.step()).expect("step");
        assert!(
            block_on(run.checkpoint()).expect("checkpoint").is_some() == report.epoch.is_some()
        );
        if report.epoch.is_some_and(|record| record.epoch == epoch) {
            return block_on(run.checkpoint())
                .expect("checkpoint")
                .expect("between epochs");
        }
    }
}

/// The records without their wall times, which no two runs share.
fn untimed(epochs: &[EpochRecord]) -> Vec<EpochRecord> {
    let mut epochs = epochs.to_vec();
    for record in &mut epochs {
        record.elapsed_ms = 0.0;
    }
    epochs
}

fn assert_same_run(resumed: &DartsSummary, whole: &DartsSummary) {
    assert_eq!(untimed(&resumed.epochs), untimed(&whole.epochs));
    assert_eq!(resumed.derivation, whole.derivation);
    let (a, b) = (
        resumed.retrained.as_ref().expect("retrained"),
        whole.retrained.as_ref().expect("retrained"),
    );
    assert!(b.is_ok(), "{:?}", b.reason);
    assert_eq!(
        (&a.arch, a.accuracy, a.final_loss, a.params),
        (&b.arch, b.accuracy, b.final_loss, b.params)
    );
}

#[test]
fn a_resumed_run_ends_exactly_as_the_uninterrupted_one() {
    let _device = DEVICE.lock().unwrap_or_else(|e| e.into_inner());
    let whole = finish(DartsRun::new(tiny(), Compute::cpu()).unwrap());

    let mut interrupted = DartsRun::new(tiny(), Compute::cpu()).unwrap();
    let after_one = checkpoint_after(&mut interrupted, 1);
    let after_all = checkpoint_after(&mut interrupted, 3);
    drop(interrupted);

    let resumed = DartsRun::resume(tiny(), Compute::cpu(), &after_one).expect("resumes");
    let resumed = finish(resumed);
    assert_eq!(resumed.epochs.len(), 3);
    assert_same_run(&resumed, &whole);
    assert!(resumed.epochs[1].elapsed_ms > resumed.epochs[0].elapsed_ms);

    // Interrupted while retraining: the last search checkpoint derives again.
    let rederived = finish(DartsRun::resume(tiny(), Compute::cpu(), &after_all).unwrap());
    assert_same_run(&rederived, &whole);
}

#[test]
fn a_checkpoint_of_other_settings_or_damaged_is_refused() {
    let _device = DEVICE.lock().unwrap_or_else(|e| e.into_inner());
    let mut run = DartsRun::new(tiny(), Compute::cpu()).unwrap();
    let mut checkpoint = checkpoint_after(&mut run, 1);
    drop(run);

    let wider = DartsConfig { width: 6, ..tiny() };
    let err = DartsRun::resume(wider, Compute::cpu(), &checkpoint)
        .err()
        .expect("refused");
    assert!(
        err.to_string().starts_with(
            "DARTS checkpoint: cannot resume: it was taken with other settings \
             (width: 4 in the checkpoint, 6 now)"
        ),
        "{err}"
    );

    let middle = checkpoint.len() / 2;
    checkpoint[middle] ^= 0x40;
    let err = DartsRun::resume(tiny(), Compute::cpu(), &checkpoint)
        .err()
        .expect("refused");
    assert!(err.to_string().contains("it is damaged"), "{err}");
}
