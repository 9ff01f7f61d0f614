#!/usr/bin/env bash
# Builds cord with clang and a sanitizer in a build directory of its own and runs tests there:
#   asan  every meson test under AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer
#         (build-asan), less the known failures named below;
#   tsan  the client and interactions tests (the client's, the shards', the responders' timers and
#         the emulator's threads together) under ThreadSanitizer (build-tsan);
#   all   both.
# STEP is build, test, or both (default). Ends each test run with "N passed, N failed".
#   bash tools/sanitize.sh asan|tsan|all [build|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
step=${2:-both}
case $mode in asan|tsan|all) ;; *) echo "usage: $0 asan|tsan|all [build|test|both]" >&2; exit 2 ;; esac
case $step in build|test|both) ;; *) echo "usage: $0 asan|tsan|all [build|test|both]" >&2; exit 2 ;; esac

command -v clang++ >/dev/null ||
  { echo "sanitize.sh: needs clang: apt-get install -y clang libclang-rt-14-dev llvm" >&2; exit 1; }

# A sanitizer run is several times slower than a plain one; meson's per-test timeouts stretch with it.
timeout_multiplier=${CORD_SANITIZE_TIMEOUT_MULTIPLIER:-4}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || true)}

configure() { # dir sanitizer optimization extra-flags
  local dir=$1
  [[ -f "$dir/build.ninja" ]] && return
  # Samples are not tests. Line tables only: file:line in reports at a fraction of -g's cost.
  # -O0 for ASan+UBSan: under half the compile time of -O1 on the Beast TUs; the tests are I/O-bound.
  CXX=clang++ meson setup "$dir" --wrap-mode=nodownload \
    -Dsamples=false -Db_sanitize="$2" -Db_lundef=false -Doptimization="$3" -Ddebug=false \
    -Dcpp_args="-gline-tables-only ${4:-}"
}

report() { # dir: the summary line of its last test run
  python3 tools/count-tests.py "$1/meson-logs/testlog.json"
}

select_tests() { # dir program-pattern skip...: names of the tests whose program matches, less skip
  local dir=$1 pattern=$2
  shift 2
  meson introspect "$dir" --tests | python3 -c '
import json, re, sys
pattern, skip = sys.argv[1], set(sys.argv[2:])
for t in json.load(sys.stdin):
    if re.search(pattern, t["cmd"][0]) and t["name"] not in skip:
        print(t["name"])' "$pattern" "$@"
}

# Tests left out of the ASan run for a known bug; every run names them. Delete an entry once its
# bug is fixed.
asan_known_failures=()

status=0
if [[ $mode == asan || $mode == all ]]; then
  dir=build-asan
  rm -f "$dir/meson-logs/testlog.json"   # never count an earlier run
  if [[ $step != test ]]; then
    # -fno-sanitize-recover: undefined behaviour ends the test instead of printing and going on.
    # -fno-sanitize=function: clang 14 cannot emit that one check for coroutines ("Cannot represent
    # a difference across sections", LLVM issue 49689); every other UBSan check stays.
    configure "$dir" address,undefined 0 "-fno-sanitize-recover=undefined -fno-sanitize=function"
    ninja -C "$dir" -j2
  fi
  if [[ $step != build ]]; then
    mapfile -t tests < <(select_tests "$dir" . "${asan_known_failures[@]}")
    if ((${#asan_known_failures[@]})); then
      echo "asan: not run (known failures, reported): ${asan_known_failures[*]}"
    fi
    ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
      meson test -C "$dir" --no-rebuild --num-processes 2 --print-errorlogs \
        --timeout-multiplier "$timeout_multiplier" "${tests[@]}" || status=1
    echo "asan: $(report "$dir")"
  fi
fi

if [[ $mode == tsan || $mode == all ]]; then
  dir=build-tsan
  rm -f "$dir/meson-logs/testlog.json"   # never count an earlier run
  if [[ $step != test ]]; then
    configure "$dir" thread 1
    # Only the client's and the interactions' test programs (and the libraries under them).
    ninja -C "$dir" -j2 test/client/client_tests test/interactions/interactions_fake_tests
  fi
  if [[ $step != build ]]; then
    mapfile -t tests < <(select_tests "$dir" '/(client_tests|interactions_fake_tests)$')
    # With no names meson would run every test, most of them not built here.
    ((${#tests[@]})) || { echo "tsan: no client tests found in $dir" >&2; exit 1; }
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$PWD/tools/tsan.supp} \
      meson test -C "$dir" --no-rebuild --num-processes 2 --print-errorlogs \
        --timeout-multiplier "$timeout_multiplier" "${tests[@]}" || status=1
    echo "tsan: $(report "$dir")"
  fi
fi
exit $status
