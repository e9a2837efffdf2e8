#!/usr/bin/env bash
# Start, wait for, or stop a local llama-cpp-python server for the live check and benchmarks.
#
#   bash benchmarks/real_models/serve.sh start 0.5b|1.5b [PORT]   (default port 8080)
#   bash benchmarks/real_models/serve.sh wait PORT [SECONDS]      (until /v1/models answers)
#   bash benchmarks/real_models/serve.sh stop PORT
#   bash benchmarks/real_models/serve.sh status PORT
#
# The server is started in the background with the settings the benchmarks were measured with
# (n_ctx 8192, 2 threads, host 127.0.0.1); its PID and log go under $SERVE_STATE_DIR
# (default /tmp/summarizer-llama), one pair per port. `stop` ends only the PID it wrote.
# Run setup.sh first (it builds the server and assembles the weights).
#
# Environment: N_CTX (8192), N_THREADS (2), SERVE_STATE_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${SERVE_STATE_DIR:-/tmp/summarizer-llama}"
mkdir -p "$state"

model_file() {
  case "$1" in
    0.5b) echo "$here/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf" ;;
    1.5b) echo "$here/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" ;;
    *) echo "unknown model $1 (0.5b or 1.5b)" >&2; exit 2 ;;
  esac
}

answers() {  # port -> 0 when the server lists its models
  python3 - "$1" <<'EOF' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/models", timeout=2).read()
EOF
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start)
    which="${1:?model: 0.5b or 1.5b}"; port="${2:-8080}"
    file="$(model_file "$which")"
    [ -f "$file" ] || { echo "$file missing: run setup.sh $which first" >&2; exit 1; }
    if answers "$port"; then echo "something already answers on port $port" >&2; exit 1; fi
    # --interrupt_requests False: a new request must not cut off the one being generated
    # (concurrent clients would otherwise get truncated answers).
    nohup "$here/.venv/bin/python" -m llama_cpp.server \
      --model "$file" --model_alias "qwen2.5-coder-$which" \
      --host 127.0.0.1 --port "$port" \
      --n_ctx "${N_CTX:-8192}" --n_threads "${N_THREADS:-2}" \
      --interrupt_requests False --verbose False \
      >"$state/$port.log" 2>&1 &
    echo $! >"$state/$port.pid"
    echo "started qwen2.5-coder-$which on 127.0.0.1:$port (pid $(cat "$state/$port.pid"), log $state/$port.log)" >&2
    ;;
  wait)
    port="${1:?port}"; limit="${2:-180}"
    for _ in $(seq 1 "$limit"); do
      if answers "$port"; then exit 0; fi
      if [ -f "$state/$port.pid" ] && ! kill -0 "$(cat "$state/$port.pid")" 2>/dev/null; then
        echo "server on port $port exited; log:" >&2; tail -20 "$state/$port.log" >&2; exit 1
      fi
      sleep 1
    done
    echo "server on port $port did not answer within ${limit}s" >&2; exit 1
    ;;
  stop)
    port="${1:?port}"
    if [ -f "$state/$port.pid" ]; then
      pid="$(cat "$state/$port.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$port.pid"
    fi
    ;;
  status)
    port="${1:?port}"
    if answers "$port"; then echo "port $port answers"; else echo "port $port: no server"; exit 1; fi
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
