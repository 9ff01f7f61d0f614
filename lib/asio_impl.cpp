// cord: Asio and Asio.SSL, compiled once for the whole library (separate compilation).
// SPDX-License-Identifier: BSL-1.0
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
