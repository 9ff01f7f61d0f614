// cord: Beast, compiled once for the whole library (separate compilation).
// SPDX-License-Identifier: BSL-1.0
#include <boost/beast/src.hpp>
