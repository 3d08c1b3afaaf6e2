#!/usr/bin/env python3
"""PyTorch's CUDA timings on the shapes and models of jattr's GPU check (scripts/gpu-check.sh).

GEMM and convolution GFLOP/s on the shapes CudaSelfCheck times (FP32 with TF32 off, and GEMM with
TF32 on), and the forward of the zoo's torchvision architectures at batch 1 and 50 on 96x96
images, plus one forward+backward at batch 50 (the work of Captum's LayerIntegratedGradients with
n_steps=50 on the whole model). Weights are random: the timings do not depend on them.
Writes JSON to the path given as the first argument.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F
import torchvision


def cuda_ms(fn, reps=20, warm=3):
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / reps


def wall_ms(fn, reps=10, warm=3):
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main(path):
    dev = torch.device("cuda")
    rows = []
    torch.backends.cudnn.allow_tf32 = False
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for s in (512, 1024, 4096):
            a = torch.rand(s, s, device=dev) * 2 - 1
            b = torch.rand(s, s, device=dev) * 2 - 1
            ms = cuda_ms(lambda: a @ b)
            rows.append({"kernel": "torch matmul " + ("tf32" if tf32 else "fp32"), "shape": f"{s}x{s}x{s}",
                         "ms": ms, "gflops": 2 * s ** 3 / (ms * 1e6)})
    torch.backends.cuda.matmul.allow_tf32 = False
    for n, c, h, w, m, k, stride, pad, group in [(32, 64, 56, 56, 64, 3, 1, 1, 1), (50, 96, 24, 24, 24, 1, 1, 0, 1),
                                                (50, 32, 48, 48, 32, 3, 1, 1, 32),
                                                (50, 144, 24, 24, 144, 5, 2, 2, 144)]:
        x = torch.rand(n, c, h, w, device=dev)
        wt = torch.rand(m, c // group, k, k, device=dev)
        y = F.conv2d(x, wt, stride=stride, padding=pad, groups=group)
        ms = cuda_ms(lambda: F.conv2d(x, wt, stride=stride, padding=pad, groups=group))
        flops = 2 * y.numel() * (c // group) * k * k
        rows.append({"kernel": "torch conv2d fp32", "shape": f"x[{n}, {c}, {h}, {w}] w[{m}, {c // group}, {k}, {k}] s{stride}",
                     "ms": ms, "gflops": flops / (ms * 1e6)})
    models = {"efficientnet_b0": torchvision.models.efficientnet_b0, "mobilenet_v3_small": torchvision.models.mobilenet_v3_small,
              "shufflenet_v2_x0_5": torchvision.models.shufflenet_v2_x0_5, "squeezenet1_1": torchvision.models.squeezenet1_1}
    forward = []
    for name, ctor in models.items():
        model = ctor(weights=None).to(dev).eval()
        for batch in (1, 50):
            x = torch.rand(batch, 3, 96, 96, device=dev) * 2 - 1
            with torch.no_grad():
                ms = wall_ms(lambda: model(x))
            forward.append({"workload": "forward", "model": name, "batch": batch, "torch_ms": ms})
        x = (torch.rand(50, 3, 96, 96, device=dev) * 2 - 1).requires_grad_(True)

        def fwd_bwd():
            model(x)[:, 3].sum().backward()

        forward.append({"workload": "forward+backward", "model": name, "batch": 50, "torch_ms": wall_ms(fwd_bwd)})
    result = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "kernels": rows, "models": forward}
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    for r in rows:
        print(f"{r['kernel']:<22} {r['shape']:<44} {r['ms']:10.4f} ms {r['gflops']:10.1f} GFLOP/s")
    for r in forward:
        print(f"{r['workload']:<18} {r['model']:<22} batch {r['batch']:>3} {r['torch_ms']:10.3f} ms")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "torch.json")
