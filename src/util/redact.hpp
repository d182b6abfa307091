// Redaction of secrets in producer settings.
//
// Configuration values reach error messages and log lines (the pool's description of a
// producer, librdkafka's complaints about a value). Everything that prints a setting goes
// through these helpers, so that a password, a token or a JAAS line never leaves the process
// in text. A setting is secret by its name, as Spark's `spark.redaction.regex` and
// KafkaRedactionUtil decide it.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// What a secret value prints as.
inline constexpr std::string_view kRedactedValue = "*********(redacted)";

/// Whether the setting named `key` holds a secret: its name contains `secret`, `password`,
/// `token`, `jaas` or `access.key`/`accesskey` (case-insensitive), or it is `ssl.key.pem`.
bool is_secret_setting(std::string_view key);

/// `value`, or kRedactedValue when `key` names a secret.
std::string redacted_value(std::string_view key, std::string_view value);

/// The settings as `key=value` lines sorted by key (one per line, no trailing newline),
/// secrets redacted.
std::string describe_settings(const std::map<std::string, std::string>& settings);

/// `text` with every non-empty secret value of `settings` replaced by kRedactedValue: for
/// text that does not come from us (librdkafka's error strings) and might echo a value.
std::string scrub_secrets(std::string text, const std::map<std::string, std::string>& settings);

/// `text` with every occurrence of `value` that stands as a word of its own (not inside a
/// longer run of letters, digits, `.`, `_` or `-`) replaced by `(value not shown)`: for
/// librdkafka's complaints about a setting, which quote the refused value whatever it is.
std::string hide_value(std::string text, std::string_view value);

}  // namespace kafkasink::detail
