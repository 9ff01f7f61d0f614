// cord: Boost.URL, compiled once for the whole library (header-only with src.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <boost/url/src.hpp>
