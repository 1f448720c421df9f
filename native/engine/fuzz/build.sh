#!/bin/sh
# Builds the libFuzzer harness (clang, ASan + UBSan) and prepares a seed corpus from the
# test data models. Usage: native/engine/fuzz/build.sh [OUT_DIR] [DATA_DIR]
# then: OUT_DIR/fuzz_model OUT_DIR/corpus -max_total_time=60
set -eu
here=$(cd "$(dirname "$0")" && pwd)
engine=$(dirname "$here")
out=${1:-/tmp/xsinfer-fuzz}
data=${2:-$engine/../../testdata}
[ -d "$data" ] || data=$engine/../../../shared/testdata
mkdir -p "$out/corpus"
clang -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$engine/include" -I"$engine/src" \
  "$here/fuzz_model.c" "$engine"/src/*.c "$engine"/kernels/*/*.c -lm -o "$out/fuzz_model"
for m in "$data"/models/*.tflite "$data"/ops/models/*.tflite; do
  [ -f "$m" ] && cp "$m" "$out/corpus/"
done
echo "built $out/fuzz_model; corpus: $(ls "$out/corpus" | wc -l) models"
