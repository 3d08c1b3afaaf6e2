#!/usr/bin/env bash
# Compiles the CUDA C kernels of kernels-cuda to PTX for the baseline virtual architecture
# compute_80 (newer GPUs JIT it): kernels-cuda/src/main/cuda/NAME.cu -> OUTDIR/NAME.ptx.
#
#   scripts/build-ptx.sh [OUTDIR]
#
# OUTDIR defaults to the committed resources, kernels-cuda/src/main/resources/dev/jattr/kernels/cuda/ptx.
# The flags are fixed, so the output depends only on the sources and the nvcc release (named in the
# header nvcc writes at the top of each file); PtxCurrentTest checks the committed files against a
# fresh build. No fast math, and --fmad=false: expressions round as written, as the Java reference
# does (the kernels call fma() where a fused multiply-add is meant).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/kernels-cuda/src/main/cuda"
out="${1:-$root/kernels-cuda/src/main/resources/dev/jattr/kernels/cuda/ptx}"

nvcc="$(command -v nvcc || true)"
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [ -z "$nvcc" ]; then
  echo "build-ptx.sh: nvcc not found on PATH or in /usr/local/cuda/bin" >&2
  exit 2
fi

flags=(-ptx -arch=compute_80 -O3 -std=c++17 --fmad=false)

mkdir -p "$out"
out="$(cd "$out" && pwd)"
export LC_ALL=C
# compile from the source directory with bare file names: nothing path-dependent reaches the PTX
cd "$src"
shopt -s nullglob
sources=(*.cu)
if [ ${#sources[@]} -eq 0 ]; then
  echo "build-ptx.sh: no .cu files in $src" >&2
  exit 2
fi
for cu in "${sources[@]}"; do
  name="${cu%.cu}"
  tmp="$out/.$name.ptx.tmp"
  "$nvcc" "${flags[@]}" "$cu" -o "$tmp"
  mv -f "$tmp" "$out/$name.ptx"
  echo "$out/$name.ptx"
done
