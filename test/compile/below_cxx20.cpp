// Compiled with -std=c++17 by tools/check-warnings.sh: must stop at the first line of cord with
// cord's one message naming the fix, not with errors from inside Asio.
#include <cord/cord.hpp>

int main() { return 0; }
