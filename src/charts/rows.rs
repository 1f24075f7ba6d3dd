//! Wrapping a chain of boxes into centred rows: the geometry of the
//! architecture graph, apart from any drawing.

use std::ops::Range;

use super::frame::Bounds;

/// Fixed sizes of a chain's boxes and the space between them, in device pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Spacing {
    pub box_height: i32,
    /// Between two boxes of a row, where the arrow goes.
    pub gap: i32,
    /// Between two rows, where the arrow turns back.
    pub row_gap: i32,
}

/// A chain of boxes of given widths split into rows of equal count (the last
/// may be shorter).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rows {
    widths: Vec<i32>,
    spacing: Spacing,
    per_row: usize,
}

impl Rows {
    /// The split into the fewest rows, at most `most_rows`, whose widest row and
    /// total height fit in `room` (width, height); `None` when no split fits.
    pub(super) fn wrap(
        widths: Vec<i32>,
        spacing: Spacing,
        room: (i32, i32),
        most_rows: usize,
    ) -> Option<Rows> {
        let mut rows = Rows {
            per_row: widths.len(),
            widths,
            spacing,
        };
        for count in 1..=rows.widths.len().min(most_rows) {
            rows.per_row = rows.widths.len().div_ceil(count);
            let widest = rows
                .ranges()
                .map(|row| rows.row_width(row))
                .max()
                .unwrap_or(0);
            if widest <= room.0 && rows.height() <= room.1 {
                return Some(rows);
            }
        }
        None
    }

    /// The height of all rows and the gaps between them.
    pub(super) fn height(&self) -> i32 {
        let rows = self.widths.len().div_ceil(self.per_row.max(1)) as i32;
        rows * self.spacing.box_height + (rows - 1).max(0) * self.spacing.row_gap
    }

    /// Each box's bounds in chain order, every row centred across `width`, the
    /// first row's top at `top`.
    pub(super) fn place(&self, width: i32, top: i32) -> Vec<Bounds> {
        let Spacing {
            box_height,
            gap,
            row_gap,
        } = self.spacing;
        let mut boxes = Vec::with_capacity(self.widths.len());
        for (index, row) in self.ranges().enumerate() {
            let y = top + index as i32 * (box_height + row_gap);
            let mut x = (width - self.row_width(row.clone())) / 2;
            for &w in &self.widths[row] {
                boxes.push((x, y, x + w, y + box_height));
                x += w + gap;
            }
        }
        boxes
    }

    /// Index ranges of the boxes in each row.
    fn ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let (count, per_row) = (self.widths.len(), self.per_row.max(1));
        (0..count)
            .step_by(per_row)
            .map(move |start| start..(start + per_row).min(count))
    }

    fn row_width(&self, row: Range<usize>) -> i32 {
        let gaps = (row.len() as i32 - 1).max(0);
        self.widths[row].iter().sum::<i32>() + self.spacing.gap * gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPACING: Spacing = Spacing {
        box_height: 40,
        gap: 20,
        row_gap: 30,
    };

    #[test]
    fn a_chain_that_fits_stays_on_one_row() {
        let rows = Rows::wrap(vec![50; 4], SPACING, (400, 200), usize::MAX).unwrap();

        assert_eq!(rows.height(), 40);
        let boxes = rows.place(400, 0);
        assert!(boxes.iter().all(|b| b.1 == 0));
        assert_eq!(boxes[0].0, (400 - (4 * 50 + 3 * 20)) / 2);
    }

    #[test]
    fn a_chain_too_wide_for_one_row_is_split_evenly() {
        let rows = Rows::wrap(vec![50; 10], SPACING, (400, 200), usize::MAX).unwrap();

        let boxes = rows.place(400, 0);
        let first_row = boxes.iter().filter(|b| b.1 == 0).count();
        assert_eq!(first_row, 5);
        assert_eq!(boxes[5].1, 40 + 30);
    }

    #[test]
    fn a_chain_kept_to_one_row_is_refused_when_too_wide() {
        assert_eq!(Rows::wrap(vec![50; 10], SPACING, (400, 200), 1), None);
    }

    #[test]
    fn a_chain_that_fits_no_split_is_refused() {
        assert_eq!(
            Rows::wrap(vec![50; 10], SPACING, (400, 60), usize::MAX),
            None
        );
        assert_eq!(Rows::wrap(vec![500], SPACING, (400, 200), usize::MAX), None);
    }
}
