// cord::testing: Boost.JSON compiled once for the emulator (header-only library).
// SPDX-License-Identifier: BSL-1.0
#include <boost/json/src.hpp>
