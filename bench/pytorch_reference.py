#!/usr/bin/env python3
"""PyTorch reference for `nasplay bench`: the same chain nets, batch and
optimizer, timed the same way, so the two throughputs can be set side by side.

The net is the tutorial's NASModel as nasplay builds it: stem Conv2d(1->32, 3x3,
bias) + BatchNorm + ReLU, then each op at 32 channels (conv with bias + BN +
ReLU, "same" padding; max pool 3, stride 1, pad 1; identity), global average
pool, Linear(32 -> 10). Adam with lr 0.005, batch 64, cross-entropy.

Inputs: 8x8 images and 28x28 images. nasplay trains on the embedded digits for
8x8; this script has no copy of them, so both sizes here are uniform random
pixels from a fixed seed (the speed of these nets does not depend on the pixel
values). A timed run is --steps training steps after --warmup untimed ones and
ends by reading the summed loss back (.item()); images/second is the median of
--repeats runs.

    python3 bench/pytorch_reference.py [--repeats 5] [--steps 10] [--threads N] [--seed 1]
"""

import argparse
import statistics
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print("torch is not installed: pip install torch to run the reference")
    sys.exit(0)

ARCHS = ["conv3x3,max_pool3x3,conv5x5,identity", "conv5x5,conv5x5,conv5x5,conv5x5"]
SIZES = [(8, "8x8 synthetic (digits-shaped)"), (28, "28x28 synthetic (MNIST-shaped)")]
BATCH = 64
WIDTH = 32
CLASSES = 10
LEARNING_RATE = 0.005


def conv_block(channels_in, channels_out, kernel):
    return nn.Sequential(
        nn.Conv2d(channels_in, channels_out, kernel, padding=kernel // 2),
        nn.BatchNorm2d(channels_out),
        nn.ReLU(),
    )


def separable_block(channels, kernel):
    return nn.Sequential(
        nn.Conv2d(channels, channels, kernel, padding=kernel // 2, groups=channels),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
        nn.Conv2d(channels, channels, 1),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
    )


def op_module(name):
    if name == "conv3x3":
        return conv_block(WIDTH, WIDTH, 3)
    if name == "conv5x5":
        return conv_block(WIDTH, WIDTH, 5)
    if name == "dw_conv3x3":
        return separable_block(WIDTH, 3)
    if name == "dw_conv5x5":
        return separable_block(WIDTH, 5)
    if name == "max_pool3x3":
        return nn.MaxPool2d(3, stride=1, padding=1)
    if name == "avg_pool3x3":
        return nn.AvgPool2d(3, stride=1, padding=1)
    if name == "identity":
        return nn.Identity()
    raise ValueError(f"unknown op {name!r}")


class ChainNet(nn.Module):
    def __init__(self, arch, in_channels=1):
        super().__init__()
        self.stem = conv_block(in_channels, WIDTH, 3)
        self.ops = nn.Sequential(*(op_module(op) for op in arch.split(",")))
        self.head = nn.Linear(WIDTH, CLASSES)

    def forward(self, x):
        x = self.ops(self.stem(x))
        return self.head(x.mean(dim=(2, 3)))


def time_training(arch, size, args):
    """Seconds of each timed run of args.steps training steps on one fixed batch."""
    generator = torch.Generator().manual_seed(args.seed)
    images = torch.rand(BATCH, 1, size, size, generator=generator)
    labels = torch.randint(0, CLASSES, (BATCH,), generator=generator)
    torch.manual_seed(args.seed)
    model = ChainNet(arch)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.detach()

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        total = sum(step() for _ in range(args.steps))
        total.item()
        seconds.append(time.perf_counter() - start)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name in ("repeats", "steps"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    if args.threads is not None:
        if args.threads < 1:
            parser.error(f"--threads must be at least 1, got {args.threads}")
        torch.set_num_threads(args.threads)

    print(
        f"pytorch reference · torch {torch.__version__} · {torch.get_num_threads()} thread(s) · "
        f"seed {args.seed} · medians of {args.repeats} timed runs"
    )
    print(
        f"training: batch {BATCH}, Adam lr {LEARNING_RATE}, width {WIDTH}, "
        f"{args.steps} steps a run after {args.warmup} warm-up steps"
    )
    print(f"  {'input':<31} {'arch':<37} {'images/s':>9}  images/s of each run")
    for size, label in SIZES:
        for arch in ARCHS:
            rates = [BATCH * args.steps / s for s in time_training(arch, size, args)]
            spread = f"{min(rates):.0f}–{max(rates):.0f}"
            print(f"  {label:<31} {arch:<37} {statistics.median(rates):>9.0f}  {spread}")


if __name__ == "__main__":
    main()
