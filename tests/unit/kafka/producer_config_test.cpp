#include "kafka/producer_config.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/writer.hpp>

#include "kafka/partitioners.hpp"
#include "util/redact.hpp"

namespace kafkasink {
namespace {

using detail::ProducerConfig;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::Property;
using ::testing::StrEq;
using ::testing::Throws;
using ::testing::ThrowsMessage;

constexpr const char* kServers = "127.0.0.1:9092";

ProducerConfig config_of(ProducerSettings settings) {
  settings.emplace("bootstrap.servers", kServers);
  return ProducerConfig::from_settings(settings);
}

std::string entry(const ProducerConfig& config, const std::string& key) {
  const auto found = config.entries().find(key);
  return found == config.entries().end() ? "<unset>" : found->second;
}

TEST(ProducerConfig, AppliesKafkasinkDefaults) {
  const ProducerConfig config = config_of({});

  EXPECT_EQ(entry(config, "bootstrap.servers"), kServers);
  EXPECT_EQ(entry(config, "acks"), "all");
  EXPECT_EQ(entry(config, "enable.idempotence"), "true");
  EXPECT_EQ(entry(config, "partitioner"), "murmur2_random");
  EXPECT_EQ(entry(config, "log.connection.close"), "false");
  EXPECT_EQ(config.max_block(), std::chrono::milliseconds(60'000));
  EXPECT_EQ(entry(config, "topic.metadata.propagation.max.ms"), "30000");
  EXPECT_EQ(config.custom_partitioner(), std::nullopt);
}

TEST(ProducerConfig, PassesSharedSettingsThrough) {
  const ProducerConfig config = config_of({{"acks", "1"},
                                           {"linger.ms", "20"},
                                           {"batch.size", "65536"},
                                           {"compression.type", "zstd"},
                                           {"retries", "3"},
                                           {"retry.backoff.ms", "250"},
                                           {"request.timeout.ms", "15000"},
                                           {"delivery.timeout.ms", "60000"},
                                           {"client.id", "spark-app"},
                                           {"security.protocol", "SASL_SSL"},
                                           {"sasl.mechanism", "SCRAM-SHA-512"},
                                           {"ssl.ca.location", "/etc/ssl/ca.pem"}});

  EXPECT_EQ(entry(config, "acks"), "1");
  EXPECT_EQ(entry(config, "linger.ms"), "20");
  EXPECT_EQ(entry(config, "batch.size"), "65536");
  EXPECT_EQ(entry(config, "compression.type"), "zstd");
  EXPECT_EQ(entry(config, "retries"), "3");
  EXPECT_EQ(entry(config, "retry.backoff.ms"), "250");
  EXPECT_EQ(entry(config, "request.timeout.ms"), "15000");
  EXPECT_EQ(entry(config, "delivery.timeout.ms"), "60000");
  EXPECT_EQ(entry(config, "client.id"), "spark-app");
  EXPECT_EQ(entry(config, "security.protocol"), "SASL_SSL");
  EXPECT_EQ(entry(config, "sasl.mechanism"), "SCRAM-SHA-512");
  EXPECT_EQ(entry(config, "ssl.ca.location"), "/etc/ssl/ca.pem");
}

TEST(ProducerConfig, TranslatesBufferMemoryToKilobytesRoundingUp) {
  EXPECT_EQ(entry(config_of({{"buffer.memory", "16384"}}), "queue.buffering.max.kbytes"), "16");
  EXPECT_EQ(entry(config_of({{"buffer.memory", "16385"}}), "queue.buffering.max.kbytes"), "17");
  EXPECT_EQ(entry(config_of({{"buffer.memory", "0"}}), "queue.buffering.max.kbytes"), "1");
  EXPECT_EQ(entry(config_of({{"buffer.memory", "100"}}), "queue.buffering.max.kbytes"), "1");
}

TEST(ProducerConfig, KeepsMaxBlockAndBoundsMetadataPropagation) {
  const ProducerConfig config = config_of({{"max.block.ms", "5000"}});

  EXPECT_EQ(config.max_block(), std::chrono::milliseconds(5000));
  EXPECT_THAT(config.entries(), Not(Contains(Key("max.block.ms"))));
  EXPECT_EQ(entry(config, "topic.metadata.propagation.max.ms"), "5000");
  EXPECT_EQ(entry(config_of({{"max.block.ms", "120000"}}), "topic.metadata.propagation.max.ms"),
            "30000");
  EXPECT_EQ(entry(config_of({{"max.block.ms", "5000"}, {"topic.metadata.propagation.max.ms", "9"}}),
                  "topic.metadata.propagation.max.ms"),
            "9");
}

TEST(ProducerConfig, TranslatesSizesAndSocketBuffers) {
  const ProducerConfig config = config_of({{"max.request.size", "2097152"},
                                           {"receive.buffer.bytes", "65536"},
                                           {"send.buffer.bytes", "-1"}});

  EXPECT_EQ(entry(config, "message.max.bytes"), "2097152");
  EXPECT_EQ(entry(config, "socket.receive.buffer.bytes"), "65536");
  EXPECT_EQ(entry(config, "socket.send.buffer.bytes"), "0");
  EXPECT_THAT(config.entries(), Not(Contains(Key("max.request.size"))));
}

TEST(ProducerConfig, TranslatesPlainJaasConfig) {
  const ProducerConfig config = config_of(
      {{"sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" "
        "password=\"s3cr\\\"et\";"}});

  EXPECT_EQ(entry(config, "sasl.username"), "alice");
  EXPECT_EQ(entry(config, "sasl.password"), "s3cr\"et");
  EXPECT_EQ(entry(config, "sasl.mechanism"), "PLAIN");
  EXPECT_THAT(config.entries(), Not(Contains(Key("sasl.jaas.config"))));
}

TEST(ProducerConfig, TranslatesScramJaasConfigKeepingTheMechanism) {
  const ProducerConfig config =
      config_of({{"sasl.mechanism", "SCRAM-SHA-256"},
                 {"sasl.jaas.config",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required username=bob "
                  "password=\"pw\";"}});

  EXPECT_EQ(entry(config, "sasl.username"), "bob");
  EXPECT_EQ(entry(config, "sasl.password"), "pw");
  EXPECT_EQ(entry(config, "sasl.mechanism"), "SCRAM-SHA-256");
}

TEST(ProducerConfig, RejectsOtherLoginModulesAndMalformedJaasWithoutPrintingIt) {
  EXPECT_THAT(
      [] {
        config_of({{"sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
                    "required clientSecret=\"hunter2\";"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          AllOf(HasSubstr("OAuthBearerLoginModule"), Not(HasSubstr("hunter2")))));
  EXPECT_THAT(
      [] {
        config_of({{"sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    "username=\"u\" password=\"hunter2\""}});
      },
      ThrowsMessage<IllegalArgumentError>(
          AllOf(HasSubstr("sasl.jaas.config"), Not(HasSubstr("hunter2")))));
}

TEST(ProducerConfig, AcceptsAndIgnoresBlockOnBufferFull) {
  const ProducerConfig config = config_of({{"block.on.buffer.full", "true"}});

  EXPECT_THAT(config.entries(), Not(Contains(Key("block.on.buffer.full"))));
}

TEST(ProducerConfig, MapsJavaPartitionerClasses) {
  EXPECT_EQ(entry(config_of({{"partitioner.class",
                              "org.apache.kafka.clients.producer.internals.DefaultPartitioner"}}),
                  "partitioner"),
            "murmur2_random");
  EXPECT_EQ(entry(config_of({{"partitioner.class",
                              "org.apache.kafka.clients.producer.UniformStickyPartitioner"}}),
                  "partitioner"),
            "random");
  EXPECT_EQ(entry(config_of({{"partitioner.class", "consistent_random"}}), "partitioner"),
            "consistent_random");

  const ProducerConfig round_robin =
      config_of({{"partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner"}});
  EXPECT_EQ(round_robin.custom_partitioner(),
            "org.apache.kafka.clients.producer.RoundRobinPartitioner");
  EXPECT_THAT(round_robin.entries(), Not(Contains(Key("partitioner"))));
  EXPECT_EQ(entry(round_robin, "sticky.partitioning.linger.ms"), "0");
}

TEST(ProducerConfig, AcceptsRegisteredPartitioners) {
  register_partitioner("config-test-always-zero",
                       [](const std::string*, std::int32_t) { return std::int32_t{0}; });

  const ProducerConfig config = config_of({{"partitioner.class", "config-test-always-zero"}});

  EXPECT_EQ(config.custom_partitioner(), "config-test-always-zero");
  EXPECT_TRUE(detail::is_registered_partitioner("config-test-always-zero"));
}

TEST(ProducerConfig, RejectsUnknownPartitioner) {
  EXPECT_THAT(
      [] {
        config_of({{"partitioner.class", "com.example.MyPartitioner"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          HasSubstr("Kafka producer setting 'partitioner.class' names an unknown partitioner "
                    "'com.example.MyPartitioner'")));
}

TEST(ProducerConfig, RejectsSerializersWithSparksText) {
  EXPECT_THAT(
      [] {
        config_of({{"key.serializer", "x"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          StrEq("Kafka option 'key.serializer' is not supported as keys are serialized "
                "with ByteArraySerializer.")));
  EXPECT_THAT(
      [] {
        config_of({{"value.serializer", "x"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          StrEq("Kafka option 'value.serializer' is not supported as value are serialized "
                "with ByteArraySerializer.")));
}

TEST(ProducerConfig, SerializerErrorsComeBeforeMissingBootstrap) {
  EXPECT_THAT(
      [] {
        ProducerConfig::from_settings({{"value.serializer", "x"}});
      },
      Throws<IllegalArgumentError>(Property(&IllegalArgumentError::option, "value.serializer")));
}

TEST(ProducerConfig, RequiresBootstrapServersWithSparksText) {
  constexpr const char* kText =
      "Kafka option bootstrap.servers is not set. Please make sure it is set and retry.";
  EXPECT_THAT(
      [] {
        ProducerConfig::from_settings({{"acks", "1"}});
      },
      ThrowsMessage<IllegalArgumentError>(StrEq(kText)));
  EXPECT_THAT(
      [] {
        ProducerConfig::from_settings({{"bootstrap.servers", "  "}});
      },
      ThrowsMessage<IllegalArgumentError>(StrEq(kText)));
}

TEST(ProducerConfig, RejectsUnknownSettingNamingIt) {
  EXPECT_THAT(
      [] {
        config_of({{"metadata.max.idle.ms", "1000"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          StrEq("Kafka producer setting 'metadata.max.idle.ms' is unknown: librdkafka has "
                "no such property and kafkasink does not translate it.")));
  EXPECT_THAT(
      [] {
        config_of({{"Acks", "1"}});
      },
      Throws<IllegalArgumentError>(Property(&IllegalArgumentError::option, "Acks")));
}

TEST(ProducerConfig, RejectsInvalidValueNamingTheSetting) {
  EXPECT_THAT(
      [] {
        config_of({{"linger.ms", "soon"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          HasSubstr("Kafka producer setting 'linger.ms' has an invalid value: ")));
  EXPECT_THAT(
      [] {
        config_of({{"max.request.size", "10"}});
      },
      ThrowsMessage<IllegalArgumentError>(HasSubstr(
          "Kafka producer setting 'max.request.size' (librdkafka's message.max.bytes) has "
          "an invalid value: ")));
  EXPECT_THAT(
      [] {
        config_of({{"buffer.memory", "lots"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          StrEq("Kafka producer setting 'buffer.memory' must be a non-negative integer (value "
                "not shown).")));
  EXPECT_THAT(
      [] {
        config_of({{"max.block.ms", "-1"}});
      },
      Throws<IllegalArgumentError>(Property(&IllegalArgumentError::option, "max.block.ms")));
}

TEST(ProducerConfig, RejectsSettingsThatWouldSilenceDeliveryReports) {
  EXPECT_THAT(
      [] {
        config_of({{"delivery.report.only.error", "true"}});
      },
      ThrowsMessage<IllegalArgumentError>(HasSubstr("needs a delivery report")));
}

TEST(ProducerConfig, NeverPrintsSecretsInErrors) {
  // An invalid value for a secret: librdkafka's text is shown with the value scrubbed.
  EXPECT_THAT(
      [] {
        config_of({{"ssl.key.password", "hunter2"},
                   {"ssl.keystore.location", "x"},
                   {"sasl.oauthbearer.client.secret", "hunter2"},
                   {"bogus.password", "hunter2"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          AllOf(HasSubstr("bogus.password"), Not(HasSubstr("hunter2")))));
  EXPECT_THAT(
      [] {
        config_of({{"buffer.memory", "x"}, {"ssl.key.password", "hunter2"}});
      },
      ThrowsMessage<IllegalArgumentError>(Not(HasSubstr("hunter2"))));
}

TEST(ProducerConfig, DisablesIdempotenceDefaultOnConflictsAsJavaDoes) {
  EXPECT_EQ(entry(config_of({{"acks", "1"}}), "enable.idempotence"), "<unset>");
  EXPECT_EQ(entry(config_of({{"acks", "0"}}), "enable.idempotence"), "<unset>");
  EXPECT_EQ(entry(config_of({{"acks", "-1"}}), "enable.idempotence"), "true");
  EXPECT_EQ(entry(config_of({{"acks", "all"}}), "enable.idempotence"), "true");
  EXPECT_EQ(entry(config_of({{"retries", "0"}}), "enable.idempotence"), "<unset>");
  EXPECT_EQ(
      entry(config_of({{"max.in.flight.requests.per.connection", "6"}}), "enable.idempotence"),
      "<unset>");
  EXPECT_EQ(
      entry(config_of({{"max.in.flight.requests.per.connection", "5"}}), "enable.idempotence"),
      "true");
  EXPECT_EQ(entry(config_of({{"enable.idempotence", "false"}}), "enable.idempotence"), "false");
}

TEST(ProducerConfig, DescribeIsSortedAndRedacted) {
  const ProducerConfig config = config_of({{"sasl.password", "hunter2"}, {"acks", "1"}});
  const std::string description = config.describe();

  EXPECT_THAT(description, HasSubstr("acks=1\n"));
  EXPECT_THAT(description, HasSubstr("sasl.password=*********(redacted)"));
  EXPECT_THAT(description, HasSubstr("max.block.ms=60000"));
  EXPECT_THAT(description, Not(HasSubstr("hunter2")));
  EXPECT_LT(description.find("acks="), description.find("bootstrap.servers="));
}

TEST(ProducerConfig, CacheKeyDependsOnEverySetting) {
  EXPECT_EQ(config_of({{"acks", "1"}}).cache_key(), config_of({{"acks", "1"}}).cache_key());
  EXPECT_NE(config_of({{"acks", "1"}}).cache_key(), config_of({{"acks", "0"}}).cache_key());
  EXPECT_NE(config_of({}).cache_key(), config_of({{"max.block.ms", "5"}}).cache_key());
}

TEST(ProducerConfig, RejectsABootstrapPortOutsideOneTo65535AsJavaDoes) {
  // librdkafka would take 99999 modulo 65536 and connect to port 34463.
  for (const auto& [servers, message] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1:99999", "Invalid port in bootstrap.servers: 127.0.0.1:99999"},
           {"h:1,h:0", "Invalid port in bootstrap.servers: h:0"},
           {"h:x", "Invalid port in bootstrap.servers: h:x"},
           {"h", "Invalid url in bootstrap.servers: h"},
       }) {
    EXPECT_THAT(
        [&] {
          config_of({{"bootstrap.servers", servers}});
        },
        ThrowsMessage<IllegalArgumentError>(StrEq(message)));
  }
  EXPECT_NO_THROW(config_of({{"bootstrap.servers", "h:1, [::1]:65535,SSL://k:9093"}}));
}

TEST(ProducerConfig, NeverShowsTheValueOfARefusedSetting) {
  for (const char* key : {"linger.ms", "acks", "compression.type", "max.block.ms"}) {
    EXPECT_THAT(
        [&] {
          config_of({{key, "hunter2"}});
        },
        ThrowsMessage<IllegalArgumentError>(AllOf(HasSubstr(key), Not(HasSubstr("hunter2")))));
  }
}

TEST(ProducerConfig, SaslWithoutAMechanismSaysSetIt) {
  EXPECT_THAT(
      [] {
        config_of({{"security.protocol", "SASL_SSL"},
                   {"sasl.username", "user"},
                   {"sasl.password", "hunter2"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          AllOf(HasSubstr("set sasl.mechanism"), Not(HasSubstr("hunter2")))));
  EXPECT_NO_THROW(config_of({{"security.protocol", "SASL_SSL"},
                             {"sasl.mechanism", "PLAIN"},
                             {"sasl.username", "user"},
                             {"sasl.password", "hunter2"}}));
}

TEST(Redaction, RecognizesSecretSettings) {
  EXPECT_TRUE(detail::is_secret_setting("sasl.password"));
  EXPECT_TRUE(detail::is_secret_setting("SSL.KEY.PASSWORD"));
  EXPECT_TRUE(detail::is_secret_setting("sasl.jaas.config"));
  EXPECT_TRUE(detail::is_secret_setting("sasl.oauthbearer.client.secret"));
  EXPECT_TRUE(detail::is_secret_setting("aws.access.key"));
  EXPECT_TRUE(detail::is_secret_setting("fs.s3a.accesskey"));
  EXPECT_TRUE(detail::is_secret_setting("delegation.token"));
  EXPECT_TRUE(detail::is_secret_setting("ssl.key.pem"));
  EXPECT_FALSE(detail::is_secret_setting("ssl.keystore.location"));
  EXPECT_FALSE(detail::is_secret_setting("bootstrap.servers"));
  EXPECT_EQ(detail::redacted_value("sasl.password", "p"), "*********(redacted)");
  EXPECT_EQ(detail::redacted_value("acks", "1"), "1");
  EXPECT_EQ(detail::describe_settings({{"b", "2"}, {"a.password", "x"}}),
            "a.password=*********(redacted)\nb=2");
  EXPECT_EQ(detail::scrub_secrets("bad hunter2 value", {{"sasl.password", "hunter2"}}),
            "bad *********(redacted) value");
}

}  // namespace
}  // namespace kafkasink
