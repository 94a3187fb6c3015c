#!/usr/bin/env bash
# Replays the Dockerfile without a Docker engine, to check that the image would build and run:
# each stage gets its own folder standing for its filesystem, COPY copies what the Dockerfile
# copies (from the repository or an earlier stage), RUN runs its commands there (npm ci may use
# the local npm cache), then the final stage's ENTRYPOINT + CMD starts on a free loopback port
# (overridden with --bind 127.0.0.1 --port N instead of the image's 0.0.0.0:6380), as an
# unprivileged user when run as root. It is PINGed, the HEALTHCHECK command must pass, and
# SIGTERM must stop it with exit code 0. Everything is removed at the end.
#
# Usage: scripts/docker-check.sh [port]      (prints "docker-check: ok" on success)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kv-docker-check.XXXXXX")
chmod 755 "$WORK" # the server runs as an unprivileged user below
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "docker-check: FAILED: $*" >&2; exit 1; }
step() { echo "==> $*"; }

# ---- replay the Dockerfile ----
stage="" workdir="/" user="root" entrypoint="[]" cmd="[]" healthcheck=""
declare -a stage_env=()

stage_root() { echo "$WORK/stage-$1"; }
# a path inside the current stage's filesystem (relative paths are from WORKDIR)
in_stage() { local p=$1; [[ $p == /* ]] || p="$workdir/$p"; echo "$(stage_root "$stage")$p"; }
json_args() { node -e 'for (const a of JSON.parse(process.argv[1])) process.stdout.write(a + "\0")' "$1"; }

copy() {
  local from="" args=()
  for a in "$@"; do
    if [[ $a == --from=* ]]; then from=${a#--from=}; else args+=("$a"); fi
  done
  local dest=${args[-1]} n=$((${#args[@]} - 1)) target
  target=$(in_stage "$dest")
  for src in "${args[@]:0:n}"; do
    local path
    if [ -n "$from" ]; then path="$(stage_root "$from")$src"; else path="$ROOT/$src"; fi
    [ -e "$path" ] || fail "COPY source missing: $src"
    if [ -d "$path" ]; then
      mkdir -p "$target" && cp -a "$path/." "$target/"
    elif [[ $dest == */ || $n -gt 1 || -d $target ]]; then
      mkdir -p "$target" && cp -a "$path" "$target/"
    else
      mkdir -p "$(dirname "$target")" && cp -a "$path" "$target"
    fi
  done
}

run_instruction() {
  local instr=$1 rest=$2
  case "${instr^^}" in
    FROM)
      stage=$(awk '{ print ($2 ~ /^[Aa][Ss]$/) ? $3 : "final" }' <<<"$rest")
      workdir="/" stage_env=() user="root"
      mkdir -p "$(stage_root "$stage")"
      step "FROM $rest (stage folder $(stage_root "$stage"))" ;;
    WORKDIR) workdir=$rest; mkdir -p "$(in_stage .)" ;;
    ENV) stage_env+=("$rest") ;;
    COPY) step "COPY $rest"; eval "copy $rest" ;;
    RUN)
      # a --mount=type=cache stands for a cache kept between builds: here, the local npm cache
      while [[ $rest == --mount=* ]]; do rest=${rest#* }; done
      step "RUN $rest"
      (cd "$(in_stage .)" && env ${stage_env[@]+"${stage_env[@]}"} sh -c "$rest") || fail "RUN $rest" ;;
    USER) user=$rest ;;
    EXPOSE) ;;
    HEALTHCHECK) healthcheck=${rest#*CMD } ;;
    ENTRYPOINT) entrypoint=$rest ;;
    CMD) cmd=$rest ;;
    *) fail "docker-check does not know the instruction $instr" ;;
  esac
}

logical=""
while IFS= read -r line || [ -n "$line" ]; do
  [[ $line =~ ^[[:space:]]*# ]] && continue
  if [[ $line == *\\ ]]; then logical+="${line%\\} "; continue; fi
  logical+=$line
  if [[ $logical =~ ^[[:space:]]*([A-Za-z]+)[[:space:]]+(.*)$ ]]; then
    run_instruction "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  fi
  logical=""
done <"$ROOT/Dockerfile"

# ---- check the runtime stage's contents ----
app=$(in_stage .)
[ -d "$app/node_modules/cac" ] || fail "production dependency cac missing from the runtime stage"
[ ! -e "$app/node_modules/typescript" ] || fail "dev dependency typescript present in the runtime stage"
[ ! -e "$app/src" ] || fail "sources present in the runtime stage"

# ---- start the entrypoint on a free loopback port ----
PORT=${1:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
declare -a argv=()
while IFS= read -r -d '' a; do
  # absolute paths are inside the image: map them to the stage folder
  if [[ $a == /* && -e "$(stage_root "$stage")$a" ]]; then a="$(stage_root "$stage")$a"; fi
  argv+=("$a")
done < <(json_args "$entrypoint"; json_args "$cmd")
argv+=(--bind 127.0.0.1 --port "$PORT")

declare -a as_user=()
if [ "$user" != "root" ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  # the image runs as a non-root user: run as nobody here
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
step "ENTRYPOINT ${as_user[*]} ${argv[*]}"
LOG="$WORK/server.log"
(cd "$app" && exec env ${stage_env[@]+"${stage_env[@]}"} ${as_user[@]+"${as_user[@]}"} "${argv[@]}") >"$LOG" 2>&1 &
SERVER_PID=$!

ping_once() {
  node -e "const s=require('net').connect($PORT,'127.0.0.1');s.on('error',()=>process.exit(1));s.on('connect',()=>s.write('*1\r\n\$4\r\nPING\r\n'));s.on('data',(d)=>process.exit(String(d)==='+PONG\r\n'?0:1))"
}
for _ in $(seq 1 100); do
  ping_once && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; fail "server exited"; }
  sleep 0.1
done
ping_once || { cat "$LOG" >&2; fail "no PONG on 127.0.0.1:$PORT"; }
step "PING -> PONG on 127.0.0.1:$PORT"
grep -q "listening on 127.0.0.1 port $PORT" "$LOG" || { cat "$LOG" >&2; fail "startup line missing"; }

declare -a hc=()
while IFS= read -r -d '' a; do hc+=("$a"); done < <(json_args "$healthcheck")
step "HEALTHCHECK ${hc[0]} …"
(cd "$app" && env KV_HEALTHCHECK_PORT="$PORT" "${hc[@]}") || fail "HEALTHCHECK failed"

step "SIGTERM"
kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
code=$?
set -e
SERVER_PID=""
[ "$code" = 0 ] || { cat "$LOG" >&2; fail "exit code $code after SIGTERM"; }
if (cd "$app" && env KV_HEALTHCHECK_PORT="$PORT" "${hc[@]}"); then fail "HEALTHCHECK passes with the server stopped"; fi
step "HEALTHCHECK fails once stopped"
echo "docker-check: ok"
