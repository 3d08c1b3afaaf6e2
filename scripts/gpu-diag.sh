#!/usr/bin/env bash
# A GPU diagnosis beside scripts/gpu-check.sh (same .gpu/ pack, run on the GPU machine with .gpu
# carried): where the CPU and CUDA backends part ways on shufflenet_v2_x0_5, node by node
# (DeviceDiff, written to $OUT/diff.txt), and the exact errors of the zoo's forward and
# LayerFeatureAblation cases on each device (their tolerance set to 1e-9, so each prints its error).
set -uo pipefail
w=/tmp/jattr-gpu; mkdir -p $w; xz -dc .gpu/jrt.tar.xz | tar xf - -C $w; xz -dc .gpu/shared.tar.xz | tar xf - -C $w
J() { "$w/jrt/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ".gpu/lib/*" "$@"; }
python3 - <<'PY'
import json
d=json.load(open('/tmp/jattr-gpu/onnx-zoo/cases.json'))
cs=[c for c in d['cases'] if 'LayerFeatureAblation' in c['id'] or c['method']=='forward']
for c in cs: c['rtol']=1e-9
d['cases']=cs
json.dump(d,open('/tmp/jattr-gpu/onnx-zoo/one.json','w'))
PY
J dev.jattr.bench.DeviceDiff $w/onnx-zoo shufflenet_v2_x0_5 cpu cuda > $OUT/diff.txt 2>&1
for dev in cpu cuda; do echo "== $dev"; J dev.jattr.cli.Main parity --device $dev $w/onnx-zoo/one.json 2>&1 | grep "FAIL.*error"; done
sort -k3 -g -r $OUT/diff.txt | head -25
