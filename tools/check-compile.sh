#!/usr/bin/env bash
# Compile-time promises of the public headers (a meson test): with g++ below 13, an unsafe option
# temporary inside co_await is refused with cord's message; a safe one compiles.
#   bash tools/check-compile.sh CXX SOURCE_ROOT BUILD_ROOT
set -uo pipefail
cxx=$1 src=$2 build=$3
flags=(-std=c++20 -fsyntax-only -I"$src/include" -I"$build/include")
major=$("$cxx" -dumpversion | cut -d. -f1)
status=0
if ! "$cxx" "${flags[@]}" "$src/test/compile/safe_temporary.cpp"; then
  echo "FAIL: safe_temporary.cpp does not compile"
  status=1
fi
out=$("$cxx" "${flags[@]}" "$src/test/compile/refused_temporary.cpp" 2>&1)
rc=$?
if [[ $("$cxx" --version) == *clang* ]] || ((major >= 13)); then
  ((rc == 0)) || { echo "FAIL: refused_temporary.cpp should compile with this compiler"; echo "$out" | head; status=1; }
elif ((rc == 0)); then
  echo "FAIL: g++ $major compiled an option temporary inside co_await"
  status=1
elif [[ $out != *"GCC bug 99576"* ]]; then
  echo "FAIL: the refusal does not name the fix"; echo "$out" | head -20
  status=1
fi
((status == 0)) && echo "compile checks passed ($cxx $major)"
exit $status
