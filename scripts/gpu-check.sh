#!/usr/bin/env bash
# The GPU check of the CUDA backend, in two halves.
#
#   scripts/gpu-check.sh pack   (here, with JDK 25 and Maven): builds jattr, jlinks a small JDK 25
#                               runtime, and packs it with the jars and the shared corpora into
#                               .gpu/ (git-ignored), about 50 MB: what the GPU machine needs, since
#                               it has no Java and reaches no package registry.
#   scripts/gpu-check.sh run    (on the GPU machine, from the repository root, with .gpu/ carried):
#                               unpacks .gpu/ under /tmp and runs, each step with a time limit:
#                               the device line (jattr check --device cuda); every CUDA kernel
#                               against the CPU kernel on random inputs, and GEMM/convolution
#                               GFLOP/s (CudaSelfCheck); the public Captum parity corpus and the zoo
#                               forward and attribution cases with --device cuda; jattr's
#                               forward and attribution timings
#                               on the GPU (DeviceBench); the same GEMM/conv shapes and zoo models
#                               in PyTorch on CUDA (scripts/gpu-torch-bench.py). Logs and a JSON
#                               summary go to $OUT (default ./gpu-out). At most GPU_CHECK_SECONDS (default 420) in all.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

pack() {
  set -e
  source .ci/jdk25.sh
  ./build -Pbench package -pl cli,bench -am -Dmaven.test.skip=true -q
  rm -rf .gpu && mkdir -p .gpu/lib
  cp cli/target/jattr-cli-*.jar bench/target/jattr-bench-*.jar .gpu/lib/
  cp cli/target/lib/*.jar .gpu/lib/
  local tmp
  tmp="$(mktemp -d)"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported --strip-debug --no-man-pages \
    --no-header-files --compress=zip-0 --strip-native-debug-symbols=exclude-debuginfo-files --output "$tmp/jrt" 2>/dev/null
  tar cf - -C "$tmp" jrt | xz -T2 -9 > .gpu/jrt.tar.xz
  rm -rf "$tmp"
  tar cf - -C ../shared captum-reference onnx-zoo | xz -T2 -6 > .gpu/shared.tar.xz
  du -sh .gpu
}

run() {
  local out="${OUT:-$here/gpu-out}" work=/tmp/jattr-gpu
  mkdir -p "$out" "$work"
  local log="$out/check.log"
  : > "$log"
  # every step's limit is cut to what is left of the whole check's budget (GPU_CHECK_SECONDS,
  # default 420), keeping 20 s for the summary, so that a slow step cannot eat the device call
  local deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-420} - 20))
  step() { # step NAME SECONDS COMMAND...
    local name="$1" secs="$2"
    shift 2
    local left=$((deadline - SECONDS))
    if ((left < 10)); then
      echo "== $name: not run, the check's time is spent" | tee -a "$log"
      echo "$name 124 0" >> "$work/steps"
      return
    fi
    ((secs > left)) && secs=$left
    echo "== $name (limit ${secs}s)" | tee -a "$log"
    local t0=$SECONDS
    timeout "$secs" "$@" 2>&1 | tee -a "$log"
    local rc=${PIPESTATUS[0]}
    echo "== $name: exit $rc in $((SECONDS - t0))s" | tee -a "$log"
    echo "$name $rc $((SECONDS - t0))" >> "$work/steps"
  }
  : > "$work/steps"
  xz -dc .gpu/jrt.tar.xz | tar xf - -C "$work"
  xz -dc .gpu/shared.tar.xz | tar xf - -C "$work"
  local java="$work/jrt/bin/java" cp=".gpu/lib/*"
  local opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx24g -Djattr.cuda.stats=true)
  step nvidia-smi 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  step device 60 "$java" "${opts[@]}" -cp "$cp" dev.jattr.cli.Main check --device cuda
  step kernels 90 "$java" "${opts[@]}" -cp "$cp" dev.jattr.kernels.cuda.CudaSelfCheck "$out/kernels.json"
  step parity 150 "$java" "${opts[@]}" -cp "$cp" dev.jattr.cli.Main parity --device cuda "$work/captum-reference/cases.json"
  step zoo-forward 100 "$java" "${opts[@]}" -cp "$cp" dev.jattr.cli.Main parity --device cuda --methods forward "$work/onnx-zoo/cases.json"
  step bench-cuda 120 "$java" "${opts[@]}" -cp "$cp" dev.jattr.bench.DeviceBench "$work/onnx-zoo" cuda 10 "$out/bench-cuda.json" profile
  step torch 90 env PYTHONUNBUFFERED=1 python3 scripts/gpu-torch-bench.py "$out/torch.json"
  # the zoo's Captum attribution cases at nested module paths
  step zoo-attributions 100 "$java" "${opts[@]}" -cp "$cp" dev.jattr.cli.Main parity --device cuda "$work/onnx-zoo/cases.json"
  step bench-cpu 60 "$java" "${opts[@]}" -cp "$cp" dev.jattr.bench.DeviceBench "$work/onnx-zoo" cpu 5 "$out/bench-cpu.json"
  python3 - "$work/steps" "$out" <<'PY'
import json, os, sys
steps = [l.split() for l in open(sys.argv[1]) if l.strip()]
summary = {"steps": [{"step": s, "exit": int(rc), "seconds": int(t)} for s, rc, t in steps]}
for name in ("kernels", "bench-cuda", "bench-cpu", "torch"):
    p = os.path.join(sys.argv[2], name + ".json")
    if os.path.exists(p):
        summary[name] = json.load(open(p))
summary["passed"] = all(s["exit"] == 0 for s in summary["steps"])
json.dump(summary, open(os.path.join(sys.argv[2], "summary.json"), "w"), indent=1)
print("gpu-check:", "PASSED" if summary["passed"] else "FAILED", [(s["step"], s["exit"]) for s in summary["steps"]])
PY
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  *) echo "usage: scripts/gpu-check.sh pack|run" >&2; exit 2 ;;
esac
