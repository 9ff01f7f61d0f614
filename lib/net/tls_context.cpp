// cord: client TLS contexts with verification on by default.
// SPDX-License-Identifier: BSL-1.0
#include "net/tls_context.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace cord::net {

namespace ssl = boost::asio::ssl;

ssl::context make_client_tls_context(const tls_options& options)
{
    ssl::context ctx{ssl::context::tls_client};
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (!options.extra_ca_pem.empty()) {
        ctx.add_certificate_authority(boost::asio::buffer(options.extra_ca_pem), ec);
        if (ec)
            throw error(errc::invalid_argument,
                        fmt::format("tls_options.extra_ca_pem is not a PEM certificate: {}", ec.message()));
    }
    if (!options.extra_ca_file.empty()) {
        ctx.load_verify_file(options.extra_ca_file, ec);
        if (ec)
            throw error(errc::invalid_argument, fmt::format("cannot load CA file \"{}\": {}",
                                                            options.extra_ca_file, ec.message()));
    }
    return ctx;
}

void set_sni_and_verify_host(SSL* ssl, const std::string& host)
{
    if (!SSL_set_tlsext_host_name(ssl, host.c_str()))
        throw error(errc::transport, fmt::format("cannot set TLS SNI for \"{}\"", host));
    // OpenSSL checks the name (or IP address) against the certificate during the handshake.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    bool is_ip = host.find_first_not_of("0123456789.") == std::string::npos || host.find(':') != std::string::npos;
    int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                   : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1)
        throw error(errc::transport, fmt::format("cannot set TLS host verification for \"{}\"", host));
}

} // namespace cord::net
