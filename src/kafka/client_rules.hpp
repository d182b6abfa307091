// Rules every Kafka client of kafkasink applies before it talks to a cluster: Kafka's topic
// name rule, the form of `bootstrap.servers`, the SASL settings Java users write. The
// producer configuration and the `kafkasink read` consumer share them, so that both accept
// and refuse the same settings with the same words.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// Kafka's reason why `topic` is not a legal topic name (org.apache.kafka.common.internals
/// .Topic.validate: not empty, not `.` or `..`, at most 249 characters of [a-zA-Z0-9._-]), in
/// Kafka's words; nothing when it is legal.
std::optional<std::string> topic_name_error(std::string_view topic);

/// Java's reason why `servers` is not a valid `bootstrap.servers` list of `host:port` entries
/// with ports 1 to 65535 (ClientUtils.parseAndValidateAddresses); nothing when it is valid.
std::optional<std::string> bootstrap_servers_error(std::string_view servers);

/// The librdkafka settings a Java `sasl.jaas.config` login line stands for: `sasl.username`,
/// `sasl.password` and, for the PLAIN module without `sasl.mechanism` in `settings`,
/// `sasl.mechanism=PLAIN`. Throws IllegalArgumentError (never showing the line) when the line
/// is malformed, names another module, or is the SCRAM module without a mechanism.
std::map<std::string, std::string> jaas_login_settings(
    const std::string& line, const std::map<std::string, std::string>& settings);

/// Throws IllegalArgumentError when `settings` (librdkafka names) ask for SASL
/// (`security.protocol` SASL_PLAINTEXT or SASL_SSL) with a username but no `sasl.mechanism`:
/// librdkafka would then try Kerberos (GSSAPI) and fail at connect with a kinit message.
void check_sasl_mechanism(const std::map<std::string, std::string>& settings);

}  // namespace kafkasink::detail
