#include "kafka/write_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>

namespace kafkasink {
namespace {

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
  EXPECT_FALSE(options.include_headers);
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

TEST(WriteOptions, IncludeHeadersMustBeABoolean) {
  EXPECT_TRUE(WriteOptions::parse({{"includeHeaders", "TRUE"}}).include_headers);
  EXPECT_FALSE(WriteOptions::parse({{"includeheaders", "false"}}).include_headers);
  try {
    (void)WriteOptions::parse({{"includeHeaders", "yes please"}});
    FAIL() << "expected an IllegalArgumentError";
  } catch (const IllegalArgumentError& error) {
    EXPECT_EQ(error.option(), "includeHeaders");
    EXPECT_STREQ(error.what(),
                 "includeHeaders should be a boolean (true or false), but was 'yes please'");
  }
}

}  // namespace
}  // namespace kafkasink
