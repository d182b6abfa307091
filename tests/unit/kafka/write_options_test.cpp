#include "kafka/write_options.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>

namespace kafkasink {
namespace {

using detail::check_sink_format;
using detail::WriteOptions;
using ::testing::ThrowsMessage;

TEST(WriteOptions, KeysAreCaseInsensitiveAndKafkaSettingsLoseThePrefix) {
  const WriteOptions options = WriteOptions::parse({{"TOPIC", "  events  "},
                                                    {"Kafka.Bootstrap.Servers", "b:9092"},
                                                    {"kafka.linger.ms", "50"},
                                                    {"checkpointLocation", "ignored"}});
  EXPECT_EQ(options.topic, "events");  // trimmed, as Spark does
  EXPECT_EQ(options.producer_settings,
            (ProducerSettings{{"bootstrap.servers", "b:9092"}, {"linger.ms", "50"}}));
}

// Spark's CaseInsensitiveMap: the later spelling of a key wins, in either order, also after
// the `kafka.` prefix (the producer gets the lower-cased setting name).
TEST(WriteOptions, TheLaterSpellingOfAKeyWinsInEitherOrder) {
  const WriteOptions upper_first = WriteOptions::parse(
      {{"Topic", "a"}, {"topic", "b"}, {"kafka.ACKS", "0"}, {"kafka.acks", "1"}});
  EXPECT_EQ(upper_first.topic, "b");
  EXPECT_EQ(upper_first.producer_settings, (ProducerSettings{{"acks", "1"}}));
  const WriteOptions lower_first = WriteOptions::parse(
      {{"topic", "a"}, {"Topic", "b"}, {"kafka.acks", "0"}, {"Kafka.Acks", "1"}});
  EXPECT_EQ(lower_first.topic, "b");
  EXPECT_EQ(lower_first.producer_settings, (ProducerSettings{{"acks", "1"}}));
}

TEST(WriteOptions, RejectsSerializersWithSparksMessages) {
  EXPECT_THAT(
      [] {
        (void)WriteOptions::parse({{"kafka.key.serializer", "x"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          "Kafka option 'key.serializer' is not supported as keys are serialized with "
          "ByteArraySerializer."));
  EXPECT_THAT(
      [] {
        (void)WriteOptions::parse({{"KAFKA.VALUE.SERIALIZER", "x"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          "Kafka option 'value.serializer' is not supported as value are serialized with "
          "ByteArraySerializer."));
}

// Spark's sink never reads includeHeaders (a reader's option); a streaming query checks it
// when it starts (stream_api_test).
TEST(WriteOptions, IncludeHeadersIsIgnored) {
  EXPECT_NO_THROW((void)WriteOptions::parse({{"includeHeaders", "yes please"}}));
}

TEST(WriteOptions, SinkFormat) {
  EXPECT_NO_THROW(check_sink_format("kafka", "save()"));
  EXPECT_NO_THROW(check_sink_format("Kafka", "save()"));
  // A name Spark does not know: Spark 3.5's text, verbatim.
  try {
    check_sink_format("bogus", "save()");
    FAIL() << "expected an IllegalArgumentError";
  } catch (const IllegalArgumentError& error) {
    EXPECT_EQ(error.option(), "format");
    EXPECT_STREQ(error.what(),
                 "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: bogus. Please find "
                 "packages at `https://spark.apache.org/third-party-projects.html`.");
  }
  // One of Spark's own sources, or none: kafkasink's text, since Spark would write there.
  EXPECT_THAT([] { check_sink_format("Parquet", "save()"); },
              ThrowsMessage<IllegalArgumentError>(
                  "Failed to find the data source: Parquet. kafkasink writes to \"kafka\" only."));
  EXPECT_THAT([] { check_sink_format("", "start()"); },
              ThrowsMessage<IllegalArgumentError>(
                  "No format given: call format(\"kafka\") before start()."));
}

TEST(WriteOptions, DeliveryGuaranteeIsAtLeastOnceUnlessExactlyOnceIsAskedFor) {
  EXPECT_EQ(WriteOptions::parse({}).delivery_guarantee, detail::DeliveryGuarantee::kAtLeastOnce);
  EXPECT_EQ(WriteOptions::parse({{"deliveryGuarantee", "at-least-once"}}).delivery_guarantee,
            detail::DeliveryGuarantee::kAtLeastOnce);
  const WriteOptions exactly_once = WriteOptions::parse(
      {{"DELIVERYGUARANTEE", " Exactly-Once "}, {"transactionalIdPrefix", " orders-app "}});
  EXPECT_EQ(exactly_once.delivery_guarantee, detail::DeliveryGuarantee::kExactlyOnce);
  EXPECT_EQ(exactly_once.transactional_id_prefix, "orders-app");
  EXPECT_THAT(
      [] {
        (void)WriteOptions::parse({{"deliveryGuarantee", "exactly_once"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          "deliveryGuarantee should be 'at-least-once' or 'exactly-once', but was "
          "'exactly_once'"));
}

TEST(WriteOptions, TransactionalIdIsKafkasinksToChoose) {
  EXPECT_THAT(
      [] {
        (void)WriteOptions::parse({{"kafka.transactional.id", "mine"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          "Kafka producer setting 'transactional.id' is chosen by kafkasink: set option "
          "deliveryGuarantee to exactly-once for transactional writes, and "
          "transactionalIdPrefix to choose how their transactional ids start."));
}

TEST(WriteOptions, ExactlyOnceRefusesSettingsTransactionsCannotHonour) {
  const auto refused = [](const std::string& key, const std::string& value) {
    try {
      (void)WriteOptions::parse({{"deliveryGuarantee", "exactly-once"}, {key, value}});
    } catch (const IllegalArgumentError& error) {
      EXPECT_EQ(error.option(), key);
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused("kafka.acks", "1"),
            "Kafka producer setting 'acks=1' cannot hold with deliveryGuarantee exactly-once: "
            "Kafka transactions need acks=all. Remove the setting or use deliveryGuarantee "
            "at-least-once.");
  EXPECT_EQ(refused("kafka.request.required.acks", "0"),
            "Kafka producer setting 'request.required.acks=0' cannot hold with "
            "deliveryGuarantee exactly-once: Kafka transactions need acks=all. Remove the "
            "setting or use deliveryGuarantee at-least-once.");
  EXPECT_EQ(refused("kafka.enable.idempotence", "false"),
            "Kafka producer setting 'enable.idempotence=false' cannot hold with "
            "deliveryGuarantee exactly-once: Kafka transactions need the idempotent producer. "
            "Remove the setting or use deliveryGuarantee at-least-once.");
  EXPECT_THAT(refused("kafka.retries", "0"), ::testing::HasSubstr("'retries=0' cannot hold"));
  EXPECT_THAT(refused("kafka.max.in.flight.requests.per.connection", "6"),
              ::testing::HasSubstr("at most 5 requests in flight per connection"));
  EXPECT_EQ(refused("kafka.acks", "all"), "accepted");
  EXPECT_EQ(refused("kafka.acks", "-1"), "accepted");
  EXPECT_EQ(refused("kafka.max.in.flight", "5"), "accepted");
  // At least once, the same settings are the user's to choose.
  EXPECT_EQ(WriteOptions::parse({{"kafka.acks", "1"}}).producer_settings.at("acks"), "1");
}

TEST(WriteOptions, TopicMustBeALegalKafkaTopicName) {
  // Kafka's rule (org.apache.kafka.common.internals.Topic.validate), in its words.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a b",
       "Topic name \"a b\" is illegal, it contains a character other than ASCII alphanumerics, "
       "'.', '_' and '-'"},
      {"\xd1\x82\xd0\xb5\xd0\xbc\xd0\xb0",
       "Topic name \"\xd1\x82\xd0\xb5\xd0\xbc\xd0\xb0\" is illegal, it contains a character other "
       "than ASCII alphanumerics, '.', '_' and '-'"},
      {std::string(250, 'x'),
       "Topic name is illegal, it can't be longer than 249 characters, topic name: " +
           std::string(250, 'x')},
      {".", "Topic name cannot be \".\" or \"..\""},
      {"..", "Topic name cannot be \".\" or \"..\""},
      {"", "Topic name is illegal, it can't be empty"},
  };
  for (const auto& [topic, message] : cases) {
    try {
      (void)WriteOptions::parse({{"topic", topic}});
      ADD_FAILURE() << "accepted '" << topic << "'";
    } catch (const IllegalArgumentError& error) {
      EXPECT_EQ(error.option(), "topic");
      EXPECT_EQ(error.what(), message);
    }
  }
  EXPECT_EQ(WriteOptions::parse({{"topic", std::string(246, 'a') + "._-"}}).topic,
            std::string(246, 'a') + "._-");
}

}  // namespace
}  // namespace kafkasink
