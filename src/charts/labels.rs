//! Placing text labels beside points so that no label covers another label, a
//! point or the legend, as long as there is room.

use super::frame::Bounds;

/// Where one label goes, and whether it sits far enough from its point to need
/// a leader line back to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placement {
    pub bounds: Bounds,
    pub leader: bool,
}

/// How far labels may be pushed from their point, in label heights.
const MAX_RINGS: i32 = 8;

/// Places a label of `sizes[i]` (width, height) beside each of `points`, inside
/// `frame`, avoiding `obstacles`, every point's marker (`marker` pixels around
/// it) and the labels placed before it.
///
/// Each label tries the right of its point, then the left, then slots one label
/// height further up or down on either side, ring by ring: points that share a
/// position (several ops with zero cost) get a short stack of names instead of
/// one unreadable blot. A label that finds no free slot goes to the right of its
/// point anyway, so no name is ever dropped.
pub(super) fn place(
    points: &[(i32, i32)],
    sizes: &[(i32, i32)],
    frame: Bounds,
    mut obstacles: Vec<Bounds>,
    marker: i32,
    gap: i32,
) -> Vec<Placement> {
    obstacles.extend(
        points
            .iter()
            .map(|&(x, y)| (x - marker, y - marker, x + marker, y + marker)),
    );

    let mut placements = Vec::with_capacity(points.len());
    for (&(x, y), &(width, height)) in points.iter().zip(sizes) {
        let beside = |left_side: bool, rise: i32| {
            let left = if left_side { x - gap - width } else { x + gap };
            let centre = y + rise;
            (
                left,
                centre - height / 2,
                left + width,
                centre - height / 2 + height,
            )
        };
        let fits = |b: &Bounds| {
            b.0 >= frame.0
                && b.1 >= frame.1
                && b.2 <= frame.2
                && b.3 <= frame.3
                && !obstacles.iter().any(|o| overlap(*o, *b))
        };

        let found = (0..MAX_RINGS)
            .flat_map(|ring| {
                let rises = if ring == 0 {
                    vec![0]
                } else {
                    vec![-ring * height, ring * height]
                };
                rises
                    .into_iter()
                    .flat_map(move |rise| [(false, rise, ring), (true, rise, ring)])
            })
            .map(|(left_side, rise, ring)| (beside(left_side, rise), ring))
            .find(|(bounds, _)| fits(bounds));
        let placement = match found {
            Some((bounds, ring)) => Placement {
                bounds,
                leader: ring > 1,
            },
            None => Placement {
                bounds: beside(false, 0),
                leader: false,
            },
        };
        obstacles.push(placement.bounds);
        placements.push(placement);
    }
    placements
}

fn overlap(a: Bounds, b: Bounds) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Bounds = (0, 0, 600, 300);

    #[test]
    fn a_lone_label_sits_right_of_its_point() {
        let placed = place(&[(100, 100)], &[(40, 14)], FRAME, vec![], 6, 10);

        assert_eq!(placed[0].bounds, (110, 93, 150, 107));
        assert!(!placed[0].leader);
    }

    #[test]
    fn labels_of_points_at_one_spot_do_not_overlap() {
        let points = vec![(50, 280); 5];
        let sizes = vec![(60, 14); 5];

        let placed = place(&points, &sizes, FRAME, vec![], 6, 10);

        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlap(a.bounds, b.bounds), "{a:?} overlaps {b:?}");
            }
            assert!(
                a.bounds.3 <= FRAME.3 && a.bounds.0 >= FRAME.0,
                "{a:?} leaves the frame"
            );
        }
    }

    #[test]
    fn a_label_at_the_right_edge_goes_left_of_its_point() {
        let placed = place(&[(590, 100)], &[(40, 14)], FRAME, vec![], 6, 10);

        assert!(placed[0].bounds.2 <= 580);
    }

    #[test]
    fn a_label_with_no_room_left_is_still_placed() {
        let everything = vec![FRAME];

        let placed = place(&[(100, 100)], &[(40, 14)], FRAME, everything, 6, 10);

        assert_eq!(placed.len(), 1);
    }
}
