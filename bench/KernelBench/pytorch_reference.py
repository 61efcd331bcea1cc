#!/usr/bin/env python3
"""Times the PyTorch equivalents of KernelBench's ops at the same shapes, printing the same table.

Run on the GPU machine next to KernelBench (same GPU, one run each):
    bash .gpu/run.sh            # KernelBench: HW-GPT-Bench S shapes on CUDA
    python3 bench/KernelBench/pytorch_reference.py
Options: --small (the CPU-accelerator shapes), --device cpu, --repeats N.

As in KernelBench, weights are allocated at their maximum sizes and every op reads the active slice of them (views,
as a weight-entangled supernet does), activations at the active sizes. Each op: one warm-up, then the median of
repeats timed with CUDA events (wall clock on the CPU). FLOP and byte counts use the same formulas as KernelBench.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

# name, batch, seq, vocab, head size, dim max, heads max, hidden max, dim, heads, hidden (bench/KernelBench/BenchShapes.cs)
SHAPES = {
    "full": [
        ("S-largest", 8, 1024, 50257, 64, 768, 12, 3072, 768, 12, 3072),
        ("S-sub", 8, 1024, 50257, 64, 768, 12, 3072, 384, 8, 768),
    ],
    "small": [
        ("small-largest", 2, 32, 89, 16, 64, 4, 256, 64, 4, 256),
        ("small-sub", 2, 32, 89, 16, 64, 4, 256, 48, 2, 96),
    ],
}

HEADER = "set            op              shape                               ms     GFLOP/s      GB/s"


def row(set_name, op, shape, ms, flops, nbytes):
    return f"{set_name:<14} {op:<15} {shape:<30} {ms:9.3f} {flops / (ms * 1e6):11.4g} {nbytes / (ms * 1e6):9.4g}"


def timer(device, repeats):
    def run(fn):
        fn()  # warm-up
        times = []
        for _ in range(repeats):
            if device.type == "cuda":
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                fn()
                end.record()
                torch.cuda.synchronize()
                times.append(start.elapsed_time(end))
            else:
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(times)
    return run


def bench(shape, device, repeats):
    name, batch, seq, vocab, hs, dmax, hmax, hidmax, d, h, hid = shape
    rows, inner, inner_max = batch * seq, h * hs, hmax * hs
    g = torch.Generator(device="cpu").manual_seed(1)

    def rand(*size):
        return (torch.rand(*size, generator=g) * 0.2 - 0.1).to(device)

    w_qkv, b_qkv = rand(3 * inner_max, dmax), rand(3 * inner_max)
    w_out, b_out = rand(dmax, inner_max), rand(dmax)
    w_fc1, b_fc1 = rand(hidmax, dmax), rand(hidmax)
    w_fc2, b_fc2 = rand(dmax, hidmax), rand(dmax)
    tokens, positions = rand(vocab, dmax), rand(seq, dmax)
    gamma, beta = rand(dmax), rand(dmax)
    x, u = rand(rows, d), rand(rows, hid)
    ids = torch.randint(0, vocab, (rows,), generator=g).to(device)
    qkv = F.linear(x, w_qkv[: 3 * inner, :d], b_qkv[: 3 * inner])
    attended = torch.empty(rows, inner, device=device)
    h_out = torch.empty(rows, d, device=device)
    run = timer(device, repeats)

    def gemm(op, n, m, fn):
        ms = run(fn)
        print(row(name, op, f"{rows}x{n} -> {m}", ms, 2.0 * rows * n * m, 4.0 * (rows * n + n * m + rows * m)), flush=True)

    gemm("qkv", d, 3 * inner, lambda: F.linear(x, w_qkv[: 3 * inner, :d], b_qkv[: 3 * inner]))

    def attention():
        q, k, v = qkv.view(batch, seq, 3, h, hs).permute(2, 0, 3, 1, 4)  # views, as KernelBench's strided reads
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)

    ms = run(attention)
    flops = 4.0 * hs * batch * h * (seq * (seq + 1) / 2)
    print(row(name, "attention", f"{batch}x{h}x{seq}x{hs}", ms, flops, 4.0 * 4 * rows * inner), flush=True)
    gemm("attn-out", inner, d, lambda: F.linear(attended, w_out[:d, :inner], b_out[:d]))
    gemm("fc1+gelu", d, hid, lambda: F.gelu(F.linear(x, w_fc1[:hid, :d], b_fc1[:hid])))
    gemm("fc2", hid, d, lambda: F.linear(u, w_fc2[:d, :hid], b_fc2[:d]))
    ms = run(lambda: F.layer_norm(x, (d,), gamma[:d], beta[:d]))
    print(row(name, "layernorm", f"{rows}x{d}", ms, 8.0 * rows * d, 4.0 * (2.0 * rows * d + 2 * d)), flush=True)
    ms = run(lambda: x.add_(h_out))
    print(row(name, "residual-add", f"{rows}x{d}", ms, 1.0 * rows * d, 12.0 * rows * d), flush=True)
    pos_ids = torch.arange(rows, device=device) % seq
    ms = run(lambda: F.embedding(ids, tokens[:, :d]) + F.embedding(pos_ids, positions[:, :d]))
    print(row(name, "embedding", f"{rows}x{d} (+pos)", ms, 1.0 * rows * d, 4.0 * rows * d * 3 + 4.0 * rows), flush=True)
    gemm("lm-head", d, vocab, lambda: F.linear(h_out, tokens[:, :d]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the small shapes KernelBench uses on the CPU accelerator")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    device = torch.device(args.device)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"# PyTorch {torch.__version__} on {name}; {'small' if args.small else 'HW-GPT-Bench S'} shapes; "
          f"median of {args.repeats} after warm-up")
    print(HEADER)
    with torch.no_grad():
        for shape in SHAPES["small" if args.small else "full"]:
            bench(shape, device, args.repeats)


if __name__ == "__main__":
    main()
