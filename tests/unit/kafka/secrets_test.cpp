// Secrets never printed: every error a producer configuration can raise, every description of
// one and librdkafka's own log lines, searched for the secret values. And the SASL settings
// (librdkafka's, and Spark's sasl.jaas.config for PLAIN and SCRAM) checked to reach librdkafka
// as it reads them back.
#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/producer_pool.hpp>

#include "kafka/producer_config.hpp"
#include "unit/kafka/captured_stderr.hpp"
#include "util/redact.hpp"

namespace kafkasink {
namespace {

using detail::ProducerConfig;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Throws;
using ::testing::ThrowsMessage;

constexpr const char* kServers = "127.0.0.1:9092";

// Distinct values, so that a leak says which setting leaked.
const std::map<std::string, std::string>& secret_settings() {
  static const std::map<std::string, std::string> settings = {
      {"sasl.password", "Secret-Sasl-Password-1"},
      {"ssl.key.password", "Secret-Key-Password-2"},
      {"ssl.keystore.password", "Secret-Keystore-Password-3"},
      {"sasl.oauthbearer.config", "principal=app Secret-Oauth-Config-4"},
  };
  return settings;
}

constexpr const char* kJaasPassword = "Secret-Jaas-Password-5";

std::string plain_jaas(const std::string& password) {
  return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
         "password=\"" +
         password + "\";";
}

// Every secret value of this file, for the searches.
std::vector<std::string> secret_values() {
  std::vector<std::string> values;
  for (const auto& [key, value] : secret_settings()) values.push_back(value);
  values.emplace_back(kJaasPassword);
  return values;
}

MATCHER(ContainsNoSecret, "contains no secret value") {
  const std::string text(arg);
  for (const std::string& secret : secret_values()) {
    if (text.find(secret) != std::string::npos) {
      *result_listener << "contains " << secret;
      return false;
    }
  }
  return true;
}

ProducerSettings with_secrets(ProducerSettings settings) {
  settings.emplace("bootstrap.servers", kServers);
  for (const auto& [key, value] : secret_settings()) settings.emplace(key, value);
  return settings;
}

// The text of the IllegalArgumentError `settings` raise.
std::string error_of(const ProducerSettings& settings) {
  try {
    ProducerConfig::from_settings(settings);
  } catch (const IllegalArgumentError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an IllegalArgumentError";
  return "";
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(Secrets, UnknownSettingNextToSecretsNamesOnlyTheSetting) {
  const std::string text = error_of(with_secrets({{"no.such.setting", "1"}}));
  EXPECT_THAT(text, HasSubstr("'no.such.setting' is unknown"));
  EXPECT_THAT(text, ContainsNoSecret());
}

TEST(Secrets, AnUnknownSettingThatLooksSecretDoesNotPrintItsValue) {
  const std::string text = error_of(with_secrets({{"my.api.token", "Secret-Sasl-Password-1"}}));
  EXPECT_THAT(text, HasSubstr("'my.api.token' is unknown"));
  EXPECT_THAT(text, ContainsNoSecret());
}

TEST(Secrets, AnInvalidValueEqualToASecretIsNotPrinted) {
  // A password typed into the wrong setting: whatever librdkafka's text says of it, the value
  // is scrubbed.
  for (const char* key : {"acks", "compression.type", "security.protocol", "linger.ms"}) {
    const std::string text = error_of(with_secrets({{key, "Secret-Sasl-Password-1"}}));
    EXPECT_THAT(text, HasSubstr("has an invalid value")) << key;
    EXPECT_THAT(text, ContainsNoSecret()) << key;
  }
}

TEST(Secrets, ASecretSettingThisBuildLacksIsRefusedWithoutItsValue) {
  // Debian's librdkafka has no OAuth/OIDC (no libcurl): the setting is refused by name.
  const std::string text =
      error_of(with_secrets({{"sasl.oauthbearer.client.secret", "Secret-Client-Secret-7"}}));
  EXPECT_THAT(text, HasSubstr("sasl.oauthbearer.client.secret"));
  EXPECT_THAT(text, ContainsNoSecret());
  EXPECT_THAT(text, Not(HasSubstr("Secret-Client-Secret-7")));
}

TEST(Secrets, BadValuesOfTranslatedSettingsBesideSecretsShowNoSecret) {
  for (const char* key : {"buffer.memory", "max.block.ms", "send.buffer.bytes"}) {
    const std::string text = error_of(with_secrets({{key, "Secret-Key-Password-2"}}));
    EXPECT_THAT(text, HasSubstr(key));
    EXPECT_THAT(text, ContainsNoSecret()) << key;
  }
}

TEST(Secrets, InvalidJaasConfigsNeverPrintThePassword) {
  const std::string password = kJaasPassword;
  const std::vector<std::string> malformed = {
      // no closing semicolon
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
      "password=\"" +
          password + "\"",
      // unterminated quote
      "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"" + password +
          ";",
      // no username
      "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"" + password +
          "\";",
      // no flag
      "org.apache.kafka.common.security.plain.PlainLoginModule password=\"" + password + "\";",
      // a module kafkasink does not translate
      "com.example.LoginModule required password=\"" + password + "\";",
      // a line pasted in the wrong order: the password where the module belongs
      password + " required username=\"u\";",
      "\"" + password + "\" required;",
      // only the password
      password,
  };
  for (const std::string& jaas : malformed) {
    const std::string text = error_of(with_secrets({{"sasl.jaas.config", jaas}}));
    EXPECT_THAT(text, HasSubstr("sasl.jaas.config")) << jaas;
    EXPECT_THAT(text, ContainsNoSecret()) << jaas;
  }
}

TEST(Secrets, ScramWithoutAMechanismIsRejectedBeforeConnecting) {
  EXPECT_THAT(
      [] {
        ProducerConfig::from_settings(
            {{"bootstrap.servers", kServers},
             {"sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" "
              "password=\"Secret-Jaas-Password-5\";"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          AllOf(HasSubstr("needs 'sasl.mechanism' set to SCRAM-SHA-256 or SCRAM-SHA-512"),
                ContainsNoSecret())));
}

TEST(Secrets, LibrdkafkasRefusalToCreateTheProducerShowsNoKeyOrPassword) {
  // A private key that is no key: librdkafka refuses it in rd_kafka_new, not in conf_set, and
  // logs about it on its own.
  const std::string key_text =
      "-----BEGIN PRIVATE KEY-----\nSecret-Key-Password-2\n"
      "-----END PRIVATE KEY-----\n";
  ProducerSettings settings = with_secrets({{"security.protocol", "ssl"}});
  settings.insert_or_assign("ssl.key.pem", key_text);
  ProducerPool pool(ProducerPool::Options{.cache_timeout = std::chrono::minutes(1),
                                          .evictor_interval = std::chrono::milliseconds(0)});
  test::CapturedStderr captured;
  std::string message;
  try {
    static_cast<void>(pool.acquire(settings));
  } catch (const IllegalArgumentError& error) {
    message = error.what();
  }
  const std::string logged = captured.text();
  EXPECT_THAT(message, HasSubstr("librdkafka refused the producer configuration"));
  EXPECT_THAT(message, ContainsNoSecret());
  EXPECT_THAT(logged, ContainsNoSecret());
}

// ---------------------------------------------------------------------------------------------
// Descriptions and logs

TEST(Secrets, DescriptionsRedactEverySecret) {
  ProducerSettings settings = with_secrets({{"sasl.jaas.config", plain_jaas(kJaasPassword)}});
  settings.erase("sasl.password");  // given by the JAAS line instead
  const ProducerConfig config = ProducerConfig::from_settings(settings);
  const std::string description = config.describe();
  EXPECT_THAT(description, ContainsNoSecret());
  for (const char* key :
       {"sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.config"}) {
    EXPECT_THAT(description, HasSubstr(std::string(key) + "=*********(redacted)"));
  }
  EXPECT_THAT(description, HasSubstr("sasl.username=u"));
  EXPECT_THAT(detail::describe_settings(config.entries()), ContainsNoSecret());
}

TEST(Secrets, LibrdkafkasConfigurationDumpRedactsSecrets) {
  // debug=conf makes librdkafka log every setting when the producer is created.
  ProducerSettings settings = with_secrets({{"debug", "conf"}});
  settings.erase("ssl.key.password");  // needs a key to go with it
  settings.erase("ssl.keystore.password");
  ProducerPool pool(ProducerPool::Options{.cache_timeout = std::chrono::minutes(1),
                                          .evictor_interval = std::chrono::milliseconds(0)});
  test::CapturedStderr captured;
  {
    ProducerLease lease = pool.acquire(settings);
    EXPECT_THAT(lease->describe(), ContainsNoSecret());
    EXPECT_THAT(lease->describe(), HasSubstr("sasl.password=*********(redacted)"));
  }
  pool.close();
  const std::string logged = captured.text();
  EXPECT_THAT(logged, HasSubstr("sasl.password"));  // the dump happened
  EXPECT_THAT(logged, ContainsNoSecret());
}

// ---------------------------------------------------------------------------------------------
// SASL settings as librdkafka reads them back

struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const noexcept {
    rd_kafka_conf_destroy(configuration);
  }
};

// librdkafka's value of `name` after every translated setting is applied to a fresh
// configuration, as the producer applies them.
std::map<std::string, std::string> as_librdkafka_reads(const ProducerConfig& config) {
  const std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter> configuration(rd_kafka_conf_new());
  std::array<char, 512> error_text{};
  for (const auto& [key, value] : config.entries()) {
    EXPECT_EQ(rd_kafka_conf_set(configuration.get(), key.c_str(), value.c_str(), error_text.data(),
                                error_text.size()),
              RD_KAFKA_CONF_OK)
        << key << ": " << error_text.data();
  }
  std::map<std::string, std::string> read;
  for (const char* name :
       {"security.protocol", "sasl.mechanisms", "sasl.username", "sasl.password"}) {
    std::array<char, 256> value{};
    std::size_t size = value.size();
    if (rd_kafka_conf_get(configuration.get(), name, value.data(), &size) == RD_KAFKA_CONF_OK) {
      read[name] = value.data();
    }
  }
  return read;
}

using Read = std::map<std::string, std::string>;

TEST(SaslSettings, SparksPlainJaasLineReachesLibrdkafka) {
  const ProducerConfig config = ProducerConfig::from_settings(
      {{"bootstrap.servers", kServers},
       {"security.protocol", "SASL_SSL"},
       {"sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        "username=\"u\" password=\"p\";"}});
  EXPECT_EQ(as_librdkafka_reads(config), (Read{{"security.protocol", "sasl_ssl"},
                                               {"sasl.mechanisms", "PLAIN"},
                                               {"sasl.username", "u"},
                                               {"sasl.password", "p"}}));
}

TEST(SaslSettings, SparksScramJaasLineReachesLibrdkafkaWithEitherMechanism) {
  for (const char* mechanism : {"SCRAM-SHA-256", "SCRAM-SHA-512"}) {
    for (const char* mechanism_key : {"sasl.mechanism", "sasl.mechanisms"}) {
      const ProducerConfig config = ProducerConfig::from_settings(
          {{"bootstrap.servers", kServers},
           {"security.protocol", "SASL_PLAINTEXT"},
           {mechanism_key, mechanism},
           {"sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\" "
            "password=\"p w;\\\"x\";"}});
      EXPECT_EQ(as_librdkafka_reads(config), (Read{{"security.protocol", "sasl_plaintext"},
                                                   {"sasl.mechanisms", mechanism},
                                                   {"sasl.username", "app"},
                                                   {"sasl.password", "p w;\"x"}}))
          << mechanism_key << "=" << mechanism;
    }
  }
}

TEST(SaslSettings, LibrdkafkasOwnSaslSettingsPassThrough) {
  const ProducerConfig config =
      ProducerConfig::from_settings({{"bootstrap.servers", kServers},
                                     {"security.protocol", "SASL_PLAINTEXT"},
                                     {"sasl.mechanism", "SCRAM-SHA-512"},
                                     {"sasl.username", "app"},
                                     {"sasl.password", "p"}});
  EXPECT_EQ(as_librdkafka_reads(config), (Read{{"security.protocol", "sasl_plaintext"},
                                               {"sasl.mechanisms", "SCRAM-SHA-512"},
                                               {"sasl.username", "app"},
                                               {"sasl.password", "p"}}));
}

TEST(SaslSettings, AnExplicitMechanismBesideAPlainLineIsKept) {
  const ProducerConfig config = ProducerConfig::from_settings(
      {{"bootstrap.servers", kServers},
       {"sasl.mechanism", "PLAIN"},
       {"sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        "username=u password=p;"}});
  EXPECT_EQ(as_librdkafka_reads(config).at("sasl.mechanisms"), "PLAIN");
  EXPECT_EQ(as_librdkafka_reads(config).at("sasl.password"), "p");
}

}  // namespace
}  // namespace kafkasink
