#!/usr/bin/env bash
# "Clean in user builds" (a meson test): a bot's translation unit (test/compile/consumer_warnings.cpp,
# including <cord/cord.hpp> and <cord/testing/fake_discord.hpp>) compiles with -Wall -Wextra
# -Wpedantic -Werror at -O2; and below C++20 every public header stops at once with cord's one
# message naming the fix (test/compile/below_cxx20.cpp, then each header on its own).
#   bash tools/check-warnings.sh CXX SOURCE_ROOT BUILD_ROOT [DEFINE...]
# DEFINEs: what a user of cord compiles with (cord.pc's cflags), e.g. -DBOOST_ASIO_NO_DEPRECATED.
set -uo pipefail
cxx=$1 src=$2 build=$3
shift 3
defines=("$@")
inc=(-I"$src/include" -I"$build/include")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
message='cord needs C++20: compile with -std=c++20'

# 1. No warning in a user's build. -O2 and a real compile: some warnings (g++'s
#    -Wmismatched-new-delete on coroutine frames) come only from the optimiser.
if ! out=$("$cxx" -std=c++20 -O2 -Wall -Wextra -Wpedantic -Werror "${defines[@]}" "${inc[@]}" \
    -c -o "$tmp/consumer.o" "$src/test/compile/consumer_warnings.cpp" 2>&1); then
  echo "FAIL: consumer_warnings.cpp does not compile warning-free with $cxx:"
  echo "$out" | grep -E 'warning|error' | head -20
  status=1
fi

# 2. Below C++20: the first error is cord's, and the compiler stops there (the #error and the
#    fatal stop after it are the only two).
below() { # NAME SOURCE_FILE: compiles SOURCE_FILE with -std=c++17, checks the errors
  local name=$1 file=$2 out errors first
  out=$("$cxx" -std=c++17 -fsyntax-only "${inc[@]}" "$file" 2>&1) && {
    echo "FAIL: $name compiled with -std=c++17"; status=1; return; }
  errors=$(grep -E '(fatal )?error:' <<<"$out")
  first=$(head -1 <<<"$errors")
  if [[ $first != *"$message"* ]]; then
    echo "FAIL: with -std=c++17, the first error of $name is not cord's: $first"
    status=1
  elif (($(wc -l <<<"$errors") > 2)); then
    echo "FAIL: with -std=c++17, $name does not stop at cord's error:"
    head -10 <<<"$errors"
    status=1
  fi
}
below below_cxx20.cpp "$src/test/compile/below_cxx20.cpp"
headers=0
while IFS= read -r header; do
  rel=${header#"$src/include/"}
  first_include=$(grep -m1 '^#include' "$header")
  if [[ $first_include != '#include <cord/detail/cxx20.hpp>' ]]; then
    echo "FAIL: the first include of <$rel> is not <cord/detail/cxx20.hpp>: $first_include"
    status=1
  fi
  printf '#include <%s>\n' "$rel" >"$tmp/one.cpp"
  below "<$rel>" "$tmp/one.cpp"
  headers=$((headers + 1))
done < <(find "$src/include/cord" -name '*.hpp' -not -path '*/detail/*' | sort)
printf '#include <cord/version.hpp>\n' >"$tmp/one.cpp"   # generated into the build tree
below "<cord/version.hpp>" "$tmp/one.cpp"
headers=$((headers + 1))
((headers > 0)) || { echo "FAIL: no public header found under $src/include/cord"; status=1; }

((status == 0)) && echo "warning checks passed ($cxx $("$cxx" -dumpversion); $headers headers below C++20)"
exit $status
