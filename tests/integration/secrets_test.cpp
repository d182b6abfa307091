// Secrets never printed, against a broker: a write that fails with SASL settings (on the mock,
// which has no SASL; on the real broker, a wrong password for a user it knows), with
// librdkafka's debug logging on, and the description of the pooled producer it used. The
// errors, the producer's description and everything logged to standard error are searched
// for the password.
#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "support/frames.hpp"
#include "support/test_broker.hpp"
#include "unit/kafka/captured_stderr.hpp"

namespace kafkasink {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPassword = "Secret-Write-Password-6";
constexpr const char* kKeyPassword = "Secret-Write-Key-Password-7";

class WriteSecrets : public test::BrokerTest {};

KAFKASINK_INSTANTIATE_ON_BROKERS(WriteSecrets);

TEST_P(WriteSecrets, AFailedWriteWithSaslSettingsShowsNoSecretInItsErrorOrLogs) {
  const std::string topic = test::unique_topic("secrets");
  broker().create_topic(topic, 1);
  std::string bootstrap_servers = broker().bootstrap_servers();
  std::string user = "writer";
  if (real_kafka()) {
    // The SASL listener, a user the broker knows, the wrong password.
    bootstrap_servers = dynamic_cast<test::RealKafkaCluster&>(broker()).sasl_bootstrap_servers();
    user = "alice";
  }
  const DataFrame frame = test::frame_of_strings({{"value", "v"}});
  Session session = Session::builder().get_or_create();
  std::string error_text;
  test::CapturedStderr captured;
  try {
    frame.write()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap_servers)
        .option("kafka.security.protocol", "SASL_PLAINTEXT")
        .option("kafka.sasl.mechanism", "PLAIN")
        .option("kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" +
                    user + "\" password=\"" + kPassword + "\";")
        .option("kafka.ssl.key.password", kKeyPassword)
        .option("kafka.debug", "conf,security,broker,msg")
        .option("kafka.message.timeout.ms", "1000")
        .option("topic", topic)
        .save();
  } catch (const KafkaWriteError& error) {
    error_text = error.what();
  }
  session.stop();
  const std::string logged = captured.text();
  // librdkafka's mock broker has no SASL handshake; the real one refuses the password. Either
  // way authentication fails, is logged, and the record is not delivered.
  EXPECT_THAT(error_text, HasSubstr("1 of 1 records were not delivered"));
  EXPECT_THAT(logged, HasSubstr(real_kafka() ? "Authentication failed"
                                             : "Failed to initialize SASL authentication"));
  for (const char* secret : {kPassword, kKeyPassword}) {
    EXPECT_THAT(error_text, Not(HasSubstr(secret)));
    EXPECT_THAT(logged, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(logged, HasSubstr("sasl.password"));  // the configuration dump was logged
}

TEST(WriteSecrets, APooledProducersDescriptionRedactsItsSecrets) {
  MockCluster cluster(1);
  ProducerPool pool(ProducerPool::Options{.cache_timeout = std::chrono::minutes(1),
                                          .evictor_interval = std::chrono::milliseconds(0)});
  const ProducerSettings settings = {
      {"bootstrap.servers", cluster.bootstrap_servers()},
      {"sasl.jaas.config",
       std::string("org.apache.kafka.common.security.plain.PlainLoginModule required "
                   "username=\"writer\" password=\"") +
           kPassword + "\";"},
      {"ssl.key.password", kKeyPassword}};
  const ProducerLease lease = pool.acquire(settings);
  const std::string description = lease->describe();
  EXPECT_THAT(description, HasSubstr("sasl.password=*********(redacted)"));
  EXPECT_THAT(description, HasSubstr("ssl.key.password=*********(redacted)"));
  EXPECT_THAT(description, HasSubstr("sasl.username=writer"));
  for (const char* secret : {kPassword, kKeyPassword}) {
    EXPECT_THAT(description, Not(HasSubstr(secret)));
  }
  ASSERT_TRUE(pool.entry_state(settings).has_value());
  EXPECT_EQ(pool.entry_state(settings)->references, 1U);
}

}  // namespace
}  // namespace kafkasink
