# Sourced: start and stop one local workerd (`wrangler dev`) with its own state folder.
# shellcheck shell=bash

# Prints a free TCP port on 127.0.0.1.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Applies the D1 migrations (and, with a second argument, a seed file) to a state folder.
prepare_state() {
  local state=$1 seed=${2:-}
  wrangler d1 migrations apply DB --local --persist-to "$state" >/dev/null
  if [[ -n "$seed" ]]; then wrangler d1 execute DB --local --persist-to "$state" --file "$seed" >/dev/null; fi
}

# Rate limits this server raises (shared/src/limits.rs; LIMIT_* vars): the tests sign in hundreds
# of people and jam one car with 10,000 commands in a minute, the bench and the fuzzer hammer.
# Only here, never in wrangler.toml, so no deploy can carry them. Every other limit is as shipped.
LOCAL_LIMITS=(--var LIMIT_CODES_TOTAL:1000000 --var LIMIT_COMMANDS_PER_USER:1000000)

# start_server PORT STATE LOG: wrangler dev in its own process group; sets SERVER_PGID and
# BASE_URL, and returns once /api/health answers (or fails after 60 s, showing the log).
start_server() {
  local port=$1 state=$2 logfile=$3
  SKIP_WORKER_BUILD=1 setsid wrangler dev --ip 127.0.0.1 --port "$port" --persist-to "$state" "${LOCAL_LIMITS[@]}" \
    --log-level "${WRANGLER_LOG_LEVEL:-warn}" --show-interactive-dev-session=false \
    >"$logfile" 2>&1 </dev/null &
  SERVER_PGID=$!
  BASE_URL="http://127.0.0.1:$port"
  export BASE_URL SERVER_PGID
  if ! node -e '
    const url = process.argv[1] + "/api/health", end = Date.now() + 60000;
    (async () => {
      for (;;) {
        try { if ((await fetch(url)).ok) return; } catch {}
        if (Date.now() > end) process.exit(1);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();' "$BASE_URL"; then
    echo "wrangler dev did not become healthy; its log:" >&2
    cat "$logfile" >&2
    return 1
  fi
}

stop_server() {
  if [[ -n "${SERVER_PGID:-}" ]]; then stop_group "$SERVER_PGID"; SERVER_PGID=""; fi
}
