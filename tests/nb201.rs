//! The bundled NAS-Bench-201 table against its own CSV text and the facts
//! its README (`data/README.md`, section 4) states: 15,625 rows, the best cell
//! idx 6111 at 94.373%, idx 0's sizes and latencies, and the closed forms for
//! parameters and FLOPs.

use nasplay::nb201::{CELL_COUNT, Cell, EdgeOp, Nb201Device, Row, Table};
use nasplay::pareto::{Objective, front, hypervolume};

const CSV: &str = include_str!("../data/nb201_cifar10.csv");

fn table() -> &'static Table {
    Table::bundled().expect("the bundled table parses")
}

#[test]
fn every_row_parses_and_every_index_appears_once_in_order() {
    let table = table();

    assert_eq!(table.len(), 15_625);
    for (position, row) in table.rows().iter().enumerate() {
        assert_eq!(row.idx, position);
        assert!(
            (10.0..=94.373).contains(&row.test_accuracy_percent),
            "idx {}",
            row.idx
        );
    }
}

#[test]
fn every_cell_string_round_trips_and_finds_its_own_row() {
    let table = table();

    for line in CSV.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let cell: Cell = fields[1].parse().unwrap();

        assert_eq!(cell.to_string(), fields[1]);
        assert_eq!(table.lookup(&cell).idx.to_string(), fields[0]);
    }
}

#[test]
fn exhaustive_look_up_finds_the_readme_best_cell() {
    let table = table();
    let rows: Vec<&Row> = (0..CELL_COUNT)
        .map(|code| table.lookup(&Cell::from_code(code).unwrap()))
        .collect();

    let top = rows
        .iter()
        .map(|row| row.test_accuracy_percent)
        .fold(0.0, f64::max);
    let first_top = rows
        .iter()
        .filter(|row| row.test_accuracy_percent == top)
        .map(|r| r.idx)
        .min();

    // README: "accuracy 10.0–94.373 ... the best cell is idx 6111"; idx 13714 ties it.
    assert_eq!(top, 94.373);
    assert_eq!(first_top, Some(6111));
    assert_eq!(table.best().idx, 6111);
    assert_eq!(table.best().accuracy(), 0.94373);
}

#[test]
fn idx_0_matches_the_nb201_api_and_hw_nas_bench_readme() {
    let row = table().row(0).unwrap();

    assert_eq!(row.params_m, 0.129306);
    assert_eq!(row.flops_m, 15.64737);
    let latencies = Nb201Device::ALL.map(|device| row.latency_ms(device));
    assert_eq!(latencies, [10.48198, 3.60585, 3.64562, 2.57296]);
}

#[test]
fn params_and_flops_follow_the_readme_closed_forms_on_every_row() {
    for row in table().rows() {
        let n3 = row.cell.count(EdgeOp::NorConv3x3) as f64;
        let n1 = row.cell.count(EdgeOp::NorConv1x1) as f64;

        let params = 0.073306 + 0.24304 * n3 + 0.028 * n1;
        let flops = 7.78305 + 35.38944 * n3 + 3.93216 * n1;

        assert!((row.params_m - params).abs() < 1e-5, "idx {}", row.idx);
        assert!((row.flops_m - flops).abs() < 1e-4, "idx {}", row.idx);
    }
}

#[test]
fn the_accuracy_latency_front_of_the_table_holds_the_best_cell_not_its_slower_twin() {
    let table = table();
    let pixel3: Vec<_> = table
        .rows()
        .iter()
        .map(|row| row.on(Nb201Device::Pixel3))
        .collect();

    let front = front(&pixel3, &[Objective::Accuracy, Objective::LatencyMs]).unwrap();

    // 6111 and 13714 tie at 94.373%; on a Pixel 3 6111 is faster (23.58 vs 26.01 ms).
    assert_eq!(front.points[0].members, [6111]);
    assert!(!front.contains(13714));
    assert!(front.excluded.is_empty());
    let area = hypervolume(&front, &[0.0, 40.0]).unwrap();
    assert!(area > 0.0 && area < 0.94373 * 40.0, "{area}");
    println!(
        "Pixel 3 front: {} points, hypervolume {area:.4} (accuracy × ms, ref 0, 40 ms)",
        front.len()
    );
}
