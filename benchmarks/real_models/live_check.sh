#!/usr/bin/env bash
# Live check: the seeds through a real local model, and no article may be lost.
#
#   bash benchmarks/real_models/live_check.sh
#
# Builds llama-cpp-python and assembles Qwen2.5-Coder-0.5B-Instruct (Q4_K_M) with setup.sh
# (cached after the first run), serves it on 127.0.0.1:$LIVE_PORT (default 8090) with
# serve.sh, runs `summarize seeds` against it, fails if run.json lists any failed article,
# prints the scores against fixtures/gold, and stops the server whatever happens.
#
# Environment: LIVE_PORT (8090), LIVE_MODE (--mode, default json_schema: llama-cpp-python
# gets json_object + schema, a grammar), LIVE_STRATEGY (--strategy, default candidates:
# short answers, 5/5 seeds in ~14 min even on 2 shared cores), LIVE_ARGS (more flags),
# LIVE_OUT (output folder; default a temporary one). N_THREADS goes to serve.sh.
# Run by .ci/run after the test suite; the tests themselves never need a model.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${LIVE_PORT:-8090}"
mode="${LIVE_MODE:-json_schema}"
strategy="${LIVE_STRATEGY:-candidates}"
work="$(mktemp -d)"
out="${LIVE_OUT:-$work/out}"
export SERVE_STATE_DIR="$work/server"

cleanup() {
  bash "$here/serve.sh" stop "$port" || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
bash "$here/setup.sh" 0.5b
bash "$here/serve.sh" start 0.5b "$port"
bash "$here/serve.sh" wait "$port" 300

echo "live check: summarize seeds with qwen2.5-coder-0.5b, --mode $mode --strategy $strategy" >&2
# shellcheck disable=SC2086  # LIVE_ARGS is a list of flags
"$root/.venv/bin/summarize" "$root/seeds" -o "$out" \
  --base-url "http://127.0.0.1:$port/v1" --api-key local --model qwen2.5-coder-0.5b \
  --mode "$mode" --strategy "$strategy" --no-cache --concurrency 1 ${LIVE_ARGS:-} || true

status=0
"$root/.venv/bin/python" - "$out/run.json" <<'EOF' || status=1
import json, sys
try:
    run = json.load(open(sys.argv[1]))
except OSError as exc:
    sys.exit(f"live check: no run.json ({exc}); the run did not finish")
for failure in run["failed"]:
    print(f"live check: LOST {failure['id']}: {failure['reason']}", file=sys.stderr)
print(
    f"live check: {run['succeeded']}/{run['documents']} articles, {run['llm_calls']} calls, "
    f"{run['reasks']} re-asks, {run['prompt_tokens']}+{run['completion_tokens']} tokens, "
    f"{run['wall_seconds']:.0f}s",
    file=sys.stderr,
)
sys.exit(1 if run["failed"] or run["succeeded"] < run["documents"] else 0)
EOF
if [ -d "$out/articles" ]; then
  "$root/.venv/bin/summarize" eval "$out" "$root/fixtures/gold" || true
fi
echo "live check: $(( $(date +%s) - started ))s in all" >&2
exit "$status"
