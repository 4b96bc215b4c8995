# Sourced: start and stop one local workerd (`wrangler dev`) with its own state folder.
# shellcheck shell=bash

# Prints a free TCP port on 127.0.0.1.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Applies the D1 migrations (and, with a second argument, a seed file) to a state folder.
prepare_state() {
  local state=$1 seed=${2:-} environment=()
  if [[ -n "${SERVER_ENV:-}" ]]; then environment=(--env "$SERVER_ENV"); fi
  wrangler d1 migrations apply DB --local "${environment[@]}" --persist-to "$state" >/dev/null
  if [[ -n "$seed" ]]; then
    wrangler d1 execute DB --local "${environment[@]}" --persist-to "$state" --file "$seed" >/dev/null
  fi
}

# Rate limits this server raises (shared/src/limits.rs; LIMIT_* vars): the tests sign in hundreds
# of people and jam one car with 10,000 commands in a minute, the bench and the fuzzer hammer.
# Only here, never in wrangler.toml, so no deploy can carry them. Every other limit is as shipped.
LOCAL_LIMITS=(--var LIMIT_CODES_TOTAL:1000000 --var LIMIT_COMMANDS_PER_USER:1000000)

# The providers' stand-in (integration/src/standin): one account at each provider, known to both
# the stand-in and the worker under test. Made-up values, good for nothing but this stand-in.
export STANDIN_WECHAT_APP_ID=wx00standin00test
export STANDIN_WECHAT_APP_SECRET=5f2c7e0a9d3b4c1e8f6a2b7d9c0e1f3a
export STANDIN_WECHAT_DOMAIN=127.0.0.1
export STANDIN_WECHAT_TEMPLATE_IDS=tpl-parking,tpl-payment,tpl-coupon,tpl-vehicle
export STANDIN_SMS_SECRET_ID=AKIDstandin7Yq2Lw9Xb4Nc6Vm1Zp3Rt8
export STANDIN_SMS_SECRET_KEY=standin4Hk9Qw2Ej7Rt5Yu1Io3Pa6Sd8F
export STANDIN_SMS_SDK_APP_ID=1400009099
export STANDIN_SMS_SIGN_NAME=我的车辆
export STANDIN_SMS_TEMPLATE_ID=2011001
export STANDIN_PAY_MCH_ID=1900009999
export STANDIN_PAY_MERCHANT_SERIAL=5A1B2C3D4E5F60718293A4B5C6D7E8F901234567
export STANDIN_PAY_APIV3_KEY=standinApiV3Key0123456789abcdefg
export STANDIN_PAY_PUBLIC_KEY_ID=PUB_KEY_ID_0000000000000024112900099990000001

# start_standin LOG: the stand-in in its own process group; sets STANDIN_PGID and STANDIN_URL
# (which the HTTP tests and browser journeys read), returns once it answers.
start_standin() {
  local logfile=$1 port
  cargo build -q -p integration --bin standin || return 1
  port=$(free_port)
  # Fresh WeChat Pay keys each start, never committed: the stand-in writes the merchant's private
  # key and WeChat Pay's public key here for the worker (provider_vars).
  STANDIN_KEYS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/standin-keys.XXXXXX")
  export STANDIN_KEYS_DIR
  STANDIN_PORT=$port setsid "$ROOT/target/debug/standin" >"$logfile" 2>&1 </dev/null &
  STANDIN_PGID=$!
  STANDIN_URL="http://127.0.0.1:$port"
  export STANDIN_URL STANDIN_PGID
  for _ in $(seq 100); do
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "$STANDIN_URL/__standin/health"; then return 0; fi
    sleep 0.1
  done
  echo "the stand-in did not start; its log:" >&2
  cat "$logfile" >&2
  return 1
}

stop_standin() {
  if [[ -n "${STANDIN_PGID:-}" ]]; then stop_group "$STANDIN_PGID"; STANDIN_PGID=""; fi
  if [[ -n "${STANDIN_KEYS_DIR:-}" ]]; then rm -rf "$STANDIN_KEYS_DIR"; STANDIN_KEYS_DIR=""; fi
}

# With a stand-in running, the worker signs in through its WeChat and sends codes and pushes
# through it, exactly as it would through the real providers (README "Deploying" has the names).
provider_vars() {
  local base_url=$1
  [[ -n "${STANDIN_URL:-}" ]] || return 0
  local pairs=(
    "WECHAT_APP_ID:$STANDIN_WECHAT_APP_ID" "WECHAT_APP_SECRET:$STANDIN_WECHAT_APP_SECRET"
    "WECHAT_OAUTH_URL:$STANDIN_URL" "WECHAT_API_URL:$STANDIN_URL" "PUBLIC_URL:$base_url"
    "WECHAT_TEMPLATE_PARKING:tpl-parking" "WECHAT_TEMPLATE_PAYMENT:tpl-payment"
    "WECHAT_TEMPLATE_COUPON:tpl-coupon" "WECHAT_TEMPLATE_VEHICLE:tpl-vehicle"
    "SMS_SECRET_ID:$STANDIN_SMS_SECRET_ID" "SMS_SECRET_KEY:$STANDIN_SMS_SECRET_KEY"
    "SMS_SDK_APP_ID:$STANDIN_SMS_SDK_APP_ID" "SMS_SIGN_NAME:$STANDIN_SMS_SIGN_NAME"
    "SMS_TEMPLATE_ID:$STANDIN_SMS_TEMPLATE_ID" "SMS_ENDPOINT:$STANDIN_URL"
  )
  if [[ -f "$STANDIN_KEYS_DIR/merchant_private_pkcs8.b64" ]]; then
    pairs+=(
      "WECHAT_PAY_MCH_ID:$STANDIN_PAY_MCH_ID" "WECHAT_PAY_SERIAL:$STANDIN_PAY_MERCHANT_SERIAL"
      "WECHAT_PAY_PRIVATE_KEY:$(<"$STANDIN_KEYS_DIR/merchant_private_pkcs8.b64")"
      "WECHAT_PAY_APIV3_KEY:$STANDIN_PAY_APIV3_KEY"
      "WECHAT_PAY_PUBLIC_KEY:$(<"$STANDIN_KEYS_DIR/wechatpay_public_spki.b64")"
      "WECHAT_PAY_PUBLIC_KEY_ID:$STANDIN_PAY_PUBLIC_KEY_ID" "WECHAT_PAY_API_URL:$STANDIN_URL"
      # An unpaid WeChat Pay order closes after 8 s here (10 minutes when deployed), so tests
      # can watch it happen.
      "WECHAT_PAY_WINDOW_SECS:8"
    )
  fi
  local pair
  for pair in "${pairs[@]}"; do printf -- '--var\n%s\n' "$pair"; done
}

# start_server PORT STATE LOG: wrangler dev in its own process group; sets SERVER_PGID and
# BASE_URL, and returns once /api/health answers (or fails after 60 s, showing the log).
# With SERVER_ENV=production it runs wrangler.toml's [env.production] (vars from
# .dev.vars.production: no dev mode), as a deployment would.
start_server() {
  local port=$1 state=$2 logfile=$3
  local providers=() environment=()
  mapfile -t providers < <(provider_vars "http://127.0.0.1:$port")
  if [[ -n "${SERVER_ENV:-}" ]]; then environment=(--env "$SERVER_ENV"); fi
  SKIP_WORKER_BUILD=1 setsid wrangler dev "${environment[@]}" --ip 127.0.0.1 --port "$port" --persist-to "$state" "${LOCAL_LIMITS[@]}" \
    "${providers[@]}" \
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
