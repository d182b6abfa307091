// OptionMap: Spark's CaseInsensitiveMap rule that all four builders share.
#include "util/option_map.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "util/text.hpp"

namespace kafkasink::detail {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// Every option as (lower-cased key, key as set, value).
std::vector<std::pair<std::string, std::pair<std::string, std::string>>> entries(
    const OptionMap& options) {
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> out;
  options.for_each([&out](const std::string& lower, const OptionMap::Entry& entry) {
    out.emplace_back(lower, std::make_pair(entry.key, entry.value));
  });
  return out;
}

TEST(OptionMap, FindsAKeyInAnyCase) {
  const OptionMap options{{"inferSchema", "true"}};
  ASSERT_NE(options.find("INFERSCHEMA"), nullptr);
  EXPECT_EQ(options.find("inferschema")->value, "true");
  EXPECT_EQ(options.find("InferSchema")->key, "inferSchema");
  EXPECT_TRUE(options.contains("inferSCHEMA"));
  EXPECT_EQ(options.find("header"), nullptr);
  EXPECT_FALSE(options.contains("inferSchem"));
}

// CaseInsensitiveMap.updated: the later spelling replaces the earlier key and value, whichever
// sorts first.
TEST(OptionMap, TheLaterSpellingReplacesTheEarlierInEitherOrder) {
  const OptionMap upper_first{{"Topic", "a"}, {"topic", "b"}};
  EXPECT_EQ(upper_first.size(), 1U);
  EXPECT_EQ(upper_first.find("TOPIC")->value, "b");
  EXPECT_EQ(upper_first.find("TOPIC")->key, "topic");

  const OptionMap lower_first{{"topic", "b"}, {"Topic", "a"}};
  EXPECT_EQ(lower_first.size(), 1U);
  EXPECT_EQ(lower_first.find("topic")->value, "a");
  EXPECT_EQ(lower_first.find("topic")->key, "Topic");

  OptionMap set_one_by_one;
  set_one_by_one.set("HEADER", "false");
  set_one_by_one.set("header", "true");
  set_one_by_one.set("Header", "false");
  EXPECT_THAT(entries(set_one_by_one), ElementsAre(Pair("header", Pair("Header", "false"))));
}

TEST(OptionMap, ListsLowerCasedKeysInOrderWithTheSpellingSet) {
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"kafka.Bootstrap.Servers", "h:1"}, {"Topic", "t"}, {"kafka.ACKS", "1"}};
  EXPECT_THAT(entries(OptionMap(calls)),
              ElementsAre(Pair("kafka.acks", Pair("kafka.ACKS", "1")),
                          Pair("kafka.bootstrap.servers", Pair("kafka.Bootstrap.Servers", "h:1")),
                          Pair("topic", Pair("Topic", "t"))));
  EXPECT_TRUE(OptionMap().empty());
}

// Only ASCII letters fold: a byte of a UTF-8 sequence never changes, so `TÖPIC` is not `töpic`
// here (no option of Spark's has a non-ASCII letter).
TEST(OptionMap, OnlyAsciiLettersFold) {
  EXPECT_EQ(to_lower("A-Z_az.09"), "a-z_az.09");
  EXPECT_EQ(to_lower("T\xC3\x96PIC"), "t\xC3\x96pic");
  const OptionMap options{{"T\xC3\x96PIC", "x"}};
  EXPECT_NE(options.find("t\xC3\x96pic"), nullptr);
  EXPECT_EQ(options.find("t\xC3\xB6pic"), nullptr);
}

}  // namespace
}  // namespace kafkasink::detail
