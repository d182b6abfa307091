#include "kafka/client_rules.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "util/text.hpp"

namespace kafkasink::detail {
namespace {

// Kafka's limit (Topic.MAX_NAME_LENGTH): a partition's folder is the name, a dash and the
// partition number, and must fit a 255-byte file name.
constexpr std::size_t kMaxTopicNameLength = 249;

constexpr std::string_view kPlainLoginModule =
    "org.apache.kafka.common.security.plain.PlainLoginModule";
constexpr std::string_view kScramLoginModule =
    "org.apache.kafka.common.security.scram.ScramLoginModule";

bool is_topic_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

// A JAAS configuration line: `<LoginModule> <flag> key="value" ...;`.
struct JaasLogin {
  std::string module;
  std::map<std::string, std::string> options;
};

std::optional<JaasLogin> parse_jaas(std::string_view text) {
  std::size_t at = 0;
  const auto skip_spaces = [&] {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])) != 0) ++at;
  };
  const auto read_word = [&] {
    const std::size_t start = at;
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])) == 0 &&
           text[at] != '=' && text[at] != ';') {
      ++at;
    }
    return std::string(text.substr(start, at - start));
  };
  JaasLogin login;
  skip_spaces();
  login.module = read_word();
  skip_spaces();
  const std::string flag = read_word();
  if (login.module.empty() || flag.empty()) return std::nullopt;
  while (true) {
    skip_spaces();
    if (at >= text.size()) return std::nullopt;  // a JAAS entry ends with ';'
    if (text[at] == ';') break;
    std::string key = read_word();
    skip_spaces();
    if (key.empty() || at >= text.size() || text[at] != '=') return std::nullopt;
    ++at;
    skip_spaces();
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ++at;
      while (at < text.size() && text[at] != '"') {
        if (text[at] == '\\' && at + 1 < text.size()) ++at;
        value += text[at++];
      }
      if (at >= text.size()) return std::nullopt;
      ++at;
    } else {
      value = read_word();
    }
    login.options.insert_or_assign(std::move(key), std::move(value));
  }
  ++at;
  skip_spaces();
  if (at != text.size()) return std::nullopt;
  return login;
}

bool mechanism_set(const std::map<std::string, std::string>& settings) {
  return settings.contains("sasl.mechanism") || settings.contains("sasl.mechanisms");
}

}  // namespace

std::optional<std::string> topic_name_error(std::string_view topic) {
  if (topic.empty()) return "Topic name is illegal, it can't be empty";
  if (topic == "." || topic == "..") return "Topic name cannot be \".\" or \"..\"";
  if (topic.size() > kMaxTopicNameLength) {
    return fmt::format(
        "Topic name is illegal, it can't be longer than {} characters, topic name: {}",
        kMaxTopicNameLength, topic);
  }
  if (!std::all_of(topic.begin(), topic.end(), is_topic_character)) {
    return fmt::format(
        "Topic name \"{}\" is illegal, it contains a character other than ASCII alphanumerics, "
        "'.', '_' and '-'",
        topic);
  }
  return std::nullopt;
}

std::optional<std::string> bootstrap_servers_error(std::string_view servers) {
  std::size_t start = 0;
  while (start <= servers.size()) {
    std::size_t end = servers.find(',', start);
    if (end == std::string_view::npos) end = servers.size();
    const std::string_view entry = trim(servers.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;  // Java skips empty entries of the list too
    // `host:port`, `[v6::address]:port`, optionally with librdkafka's `protocol://` prefix.
    std::string_view address = entry;
    if (const std::size_t scheme = address.find("://"); scheme != std::string_view::npos) {
      address.remove_prefix(scheme + 3);
    }
    const std::size_t colon = address.rfind(':');
    const std::string_view host = colon == std::string_view::npos ? "" : address.substr(0, colon);
    if (colon == std::string_view::npos || host.empty() || host == "[]") {
      return fmt::format("Invalid url in bootstrap.servers: {}", entry);
    }
    const std::string_view port_text = address.substr(colon + 1);
    int port = 0;
    const auto [parsed_end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc() ||
        parsed_end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return fmt::format("Invalid port in bootstrap.servers: {}", entry);
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> jaas_login_settings(
    const std::string& line, const std::map<std::string, std::string>& settings) {
  constexpr std::string_view kKey = "sasl.jaas.config";
  const std::optional<JaasLogin> login = parse_jaas(line);
  if (!login) {
    throw IllegalArgumentError(
        std::string(kKey),
        "Kafka setting 'sasl.jaas.config' is not a JAAS login line of the form "
        "'<LoginModule> required username=\"...\" password=\"...\";' (value redacted).");
  }
  if (login->module != kPlainLoginModule && login->module != kScramLoginModule) {
    // The module is named only when it looks like a qualified Java class name: a line pasted
    // in the wrong order could start with the password.
    const bool class_name = login->module.find('.') != std::string::npos &&
                            std::all_of(login->module.begin(), login->module.end(), [](char c) {
                              return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' ||
                                     c == '_' || c == '$';
                            });
    throw IllegalArgumentError(
        std::string(kKey),
        fmt::format("Kafka setting 'sasl.jaas.config' uses the login module {}; kafkasink "
                    "translates only {} and {}. Set librdkafka's sasl.* settings instead.",
                    class_name ? login->module : std::string("(redacted)"), kPlainLoginModule,
                    kScramLoginModule));
  }
  const auto username = login->options.find("username");
  const auto password = login->options.find("password");
  if (username == login->options.end() || password == login->options.end()) {
    throw IllegalArgumentError(std::string(kKey),
                               "Kafka setting 'sasl.jaas.config' must give both username and "
                               "password (value redacted).");
  }
  std::map<std::string, std::string> translated = {{"sasl.username", username->second},
                                                   {"sasl.password", password->second}};
  // Java needs sasl.mechanism beside a PLAIN login too, but PLAIN is the only mechanism that
  // module serves, so the missing setting is filled in rather than left to fail at connect.
  if (login->module == kPlainLoginModule && !mechanism_set(settings)) {
    translated["sasl.mechanism"] = "PLAIN";
  }
  // The SCRAM module serves two mechanisms; without a choice librdkafka would try its default,
  // GSSAPI, and fail only when connecting (Java fails the same way, later still).
  if (login->module == kScramLoginModule && !mechanism_set(settings)) {
    throw IllegalArgumentError(
        "sasl.mechanism",
        "Kafka setting 'sasl.jaas.config' uses the SCRAM login module, which needs "
        "'sasl.mechanism' set to SCRAM-SHA-256 or SCRAM-SHA-512.");
  }
  return translated;
}

void check_sasl_mechanism(const std::map<std::string, std::string>& settings) {
  const auto protocol = settings.find("security.protocol");
  if (protocol == settings.end() || !to_lower(trim(protocol->second)).starts_with("sasl_")) return;
  if (mechanism_set(settings) || !settings.contains("sasl.username")) return;
  throw IllegalArgumentError(
      "sasl.mechanism",
      fmt::format("Kafka setting 'security.protocol' is {} and a sasl.username is given, but no "
                  "SASL mechanism: set sasl.mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512); "
                  "without it librdkafka tries Kerberos (GSSAPI).",
                  trim(protocol->second)));
}

}  // namespace kafkasink::detail
