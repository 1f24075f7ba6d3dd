//! The bundled MNIST and Fashion-MNIST test sets through the IDX reader: the
//! files in `data/` and the copies built into the program, with the counts
//! and class counts that `../shared/data/README.md` states for them.

use nasplay::data::{DEFAULT_LIMIT, InputFile, load_for_run, load_named, parse_files};

fn data_file(name: &str) -> Vec<u8> {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn mnist_has_ten_thousand_28x28_images_with_the_documented_class_counts() {
    let data = load_named("mnist").unwrap();

    assert_eq!(
        (data.len(), data.channels, data.size, data.classes),
        (10_000, 1, 28, 10)
    );
    // data README §2.
    assert_eq!(
        data.class_counts(),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    let pixels: Vec<f32> = (0..data.len())
        .flat_map(|i| data.image(i).to_vec())
        .collect();
    assert!(pixels.iter().all(|p| (0.0..=1.0).contains(p)));
    assert!(
        pixels.contains(&0.0) && pixels.contains(&1.0),
        "0 and 255 occur"
    );
}

#[test]
fn fashion_has_a_thousand_images_per_class_with_labels_cycling() {
    let data = load_named("fashion").unwrap();

    assert_eq!((data.len(), data.size, data.classes), (10_000, 28, 10));
    // data README §3: exactly 1000 per class, labels 0, 1, …, 9, 0, 1, …
    assert_eq!(data.class_counts(), [1000; 10]);
    assert!(
        data.labels()
            .iter()
            .enumerate()
            .all(|(i, &l)| l as usize == i % 10)
    );
}

#[test]
fn the_files_in_data_read_in_either_order_like_the_built_in_copies() {
    let images = data_file("mnist-t10k-images-idx3-ubyte.gz");
    let labels = data_file("mnist-t10k-labels-idx1-ubyte.gz");
    let files = [
        InputFile::new("labels.gz", &labels),
        InputFile::new("images.gz", &images),
    ];

    let read = parse_files("mnist", &files).unwrap();
    let built_in = load_named("mnist").unwrap();

    assert_eq!(read.labels(), built_in.labels());
    assert_eq!(read.image(9_999), built_in.image(9_999));
}

#[test]
fn the_default_sample_of_mnist_keeps_each_class_share() {
    let sample = load_for_run("mnist", DEFAULT_LIMIT, 1).unwrap();

    // A fifth of each class, rounded down (1,996 images), and one more for
    // the four classes with the largest remainders: 8 and 9 (.8), 6 and 7 (.6).
    assert_eq!(
        sample.class_counts(),
        [196, 227, 206, 202, 196, 178, 192, 206, 195, 202]
    );
    assert_eq!(sample.len(), DEFAULT_LIMIT);
}
