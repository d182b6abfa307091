#include "util/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "util/text.hpp"

namespace kafkasink::detail {

bool is_secret_setting(std::string_view key) {
  // Spark's default spark.redaction.regex is (?i)secret|password|token|access[.]?key; Kafka's
  // sasl.jaas.config carries a password inline, and librdkafka's ssl.key.pem is a private key.
  static constexpr std::array<std::string_view, 6> kSecretWords = {
      "secret", "password", "token", "jaas", "access.key", "accesskey"};
  const std::string lower = to_lower(key);
  if (lower == "ssl.key.pem" || lower == "sasl.oauthbearer.config") return true;
  return std::any_of(kSecretWords.begin(), kSecretWords.end(), [&lower](std::string_view word) {
    return lower.find(word) != std::string::npos;
  });
}

std::string redacted_value(std::string_view key, std::string_view value) {
  return std::string(is_secret_setting(key) ? kRedactedValue : value);
}

std::string describe_settings(const std::map<std::string, std::string>& settings) {
  std::string text;
  for (const auto& [key, value] : settings) {
    if (!text.empty()) text += '\n';
    text += key;
    text += '=';
    text += redacted_value(key, value);
  }
  return text;
}

std::string scrub_secrets(std::string text, const std::map<std::string, std::string>& settings) {
  for (const auto& [key, value] : settings) {
    if (value.empty() || !is_secret_setting(key)) continue;
    for (std::size_t at = text.find(value); at != std::string::npos;
         at = text.find(value, at + kRedactedValue.size())) {
      text.replace(at, value.size(), kRedactedValue);
    }
  }
  return text;
}

std::string hide_value(std::string text, std::string_view value) {
  if (value.empty()) return text;
  constexpr std::string_view kHidden = "(value not shown)";
  const auto word_character = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  };
  for (std::size_t at = text.find(value); at != std::string::npos;) {
    const std::size_t end = at + value.size();
    const bool alone = (at == 0 || !word_character(text[at - 1])) &&
                       (end == text.size() || !word_character(text[end]));
    if (alone) {
      text.replace(at, value.size(), kHidden);
      at = text.find(value, at + kHidden.size());
    } else {
      at = text.find(value, at + 1);
    }
  }
  return text;
}

}  // namespace kafkasink::detail
