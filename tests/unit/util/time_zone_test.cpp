// Region time zones: timestamp text with a tz-database zone, checked against PySpark 3.5.7
// (CAST(s AS TIMESTAMP), session time zone UTC), and the TZif reader on files built here.
#include "util/time_zone.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/datetime.hpp"

namespace kafkasink::detail {
namespace {

struct SparkCase {
  std::string_view text;
  std::optional<std::int64_t> micros;
};

// unix_micros(CAST(s AS TIMESTAMP)) from PySpark 3.5.7 on Java 17.0.15 (tz database 2025a):
// daylight-saving gaps move forward by the gap, overlaps take the earlier offset, the years
// after the last listed transition follow the zone's yearly rule, the years before the first
// its local mean time.
TEST(TimeZone, TimestampTextWithRegionZonesMatchesSpark) {
  const std::vector<SparkCase> cases = {
      {"2020-07-01 10:00:00 Europe/Paris", std::int64_t{1593590400000000}},
      {"2020-01-01 10:00:00 Europe/Paris", std::int64_t{1577869200000000}},
      {"2020-03-29 01:59:59 Europe/Paris", std::int64_t{1585443599000000}},
      {"2020-03-29 02:00:00 Europe/Paris", std::int64_t{1585443600000000}},
      {"2020-03-29 02:30:00 Europe/Paris", std::int64_t{1585445400000000}},
      {"2020-03-29 03:00:00 Europe/Paris", std::int64_t{1585443600000000}},
      {"2020-10-25 01:59:59 Europe/Paris", std::int64_t{1603583999000000}},
      {"2020-10-25 02:00:00 Europe/Paris", std::int64_t{1603584000000000}},
      {"2020-10-25 02:30:00 Europe/Paris", std::int64_t{1603585800000000}},
      {"2020-10-25 03:00:00 Europe/Paris", std::int64_t{1603591200000000}},
      {"2020-03-08 02:30:00 America/Los_Angeles", std::int64_t{1583663400000000}},
      {"2020-11-01 01:30:00 America/Los_Angeles", std::int64_t{1604219400000000}},
      {"2020-11-01 02:00:00 America/Los_Angeles", std::int64_t{1604224800000000}},
      {"2020-07-01 12:00:00 PST", std::int64_t{1593630000000000}},
      {"2020-01-01 12:00:00 PST", std::int64_t{1577908800000000}},
      {"2020-07-01 12:00:00 CST", std::int64_t{1593622800000000}},
      {"2020-07-01 12:00:00 ECT", std::int64_t{1593597600000000}},
      {"2020-07-01 12:00:00 IST", std::int64_t{1593585000000000}},
      {"2020-07-01 12:00:00 JST", std::int64_t{1593572400000000}},
      {"2020-07-01 12:00:00 AET", std::int64_t{1593568800000000}},
      {"2020-01-01 12:00:00 AET", std::int64_t{1577840400000000}},
      {"2020-07-01 12:00:00 NST", std::int64_t{1593561600000000}},
      {"2020-07-01 12:00:00 MIT", std::int64_t{1593558000000000}},
      {"2020-07-01 12:00:00 AGT", std::int64_t{1593615600000000}},
      {"2020-07-01 12:00:00 VST", std::int64_t{1593579600000000}},
      {"2020-07-01 12:00:00 EST", std::int64_t{1593622800000000}},
      {"2020-07-01 12:00:00 MST", std::int64_t{1593630000000000}},
      {"2020-07-01 12:00:00 HST", std::int64_t{1593640800000000}},
      {"2011-12-29 23:59:59 Pacific/Apia", std::int64_t{1325239199000000}},
      {"2011-12-30 12:00:00 Pacific/Apia", std::int64_t{1325282400000000}},
      {"2011-12-31 00:00:00 Pacific/Apia", std::int64_t{1325239200000000}},
      {"2018-11-04 00:30:00 America/Sao_Paulo", std::int64_t{1541302200000000}},
      {"2018-11-04 01:30:00 America/Sao_Paulo", std::int64_t{1541302200000000}},
      {"2020-11-04 00:30:00 America/Sao_Paulo", std::int64_t{1604460600000000}},
      {"2100-07-01 12:00:00 Europe/Paris", std::int64_t{4118119200000000}},
      {"2040-03-25 02:30:00 Europe/Paris", std::int64_t{2216251800000000}},
      {"2040-10-28 02:30:00 Europe/Paris", std::int64_t{2234997000000000}},
      {"2040-04-01 02:30:00 Australia/Sydney", std::int64_t{2216820600000000}},
      {"2040-10-07 02:30:00 Australia/Sydney", std::int64_t{2233153800000000}},
      {"2040-07-01 12:00:00 America/Santiago", std::int64_t{2224771200000000}},
      {"2040-01-01 12:00:00 America/Santiago", std::int64_t{2209042800000000}},
      {"2040-09-02 00:30:00 America/Santiago", std::int64_t{2230173000000000}},
      {"2040-04-01 23:30:00 America/Santiago", std::int64_t{2216946600000000}},
      {"9999-07-01 12:00:00 Europe/Paris", std::int64_t{253386439200000000}},
      {"9999-12-31 23:59:59 America/New_York", std::int64_t{253402318799000000}},
      {"+100000-07-01 12:00:00 Europe/Paris", std::int64_t{3093543741600000000}},
      {"-0001-07-01 12:00:00 Europe/Paris", std::int64_t{-62183074161000000}},
      {"1800-01-01 00:00:00 Europe/Paris", std::int64_t{-5364662961000000}},
      {"1900-01-01 00:00:00 America/New_York", std::int64_t{-2208970800000000}},
      {"1911-03-11 00:00:00 Europe/Paris", std::int64_t{-1855958400000000}},
      {"2020-07-01 12:00:00 Asia/Kolkata", std::int64_t{1593585000000000}},
      {"2020-01-01 12:00:00 Australia/Lord_Howe", std::int64_t{1577840400000000}},
      {"2020-10-04 02:15:00 Australia/Lord_Howe", std::int64_t{1601739900000000}},
      {"2020-07-01 12:00:00 Europe/Dublin", std::int64_t{1593601200000000}},
      {"2020-01-01 12:00:00 Europe/Dublin", std::int64_t{1577880000000000}},
      {"2020-05-10 12:00:00 Africa/Casablanca", std::int64_t{1589112000000000}},
      {"2040-10-01 12:00:00 Africa/Casablanca", std::int64_t{2232705600000000}},
      {"2040-07-01 12:00:00 Antarctica/Troll", std::int64_t{2224749600000000}},
      {"2040-03-25 01:30:00 Antarctica/Troll", std::int64_t{2216251800000000}},
      {"2040-07-01 12:00:00 America/Nuuk", std::int64_t{2224760400000000}},
      {"2040-03-24 22:30:00 America/Nuuk", std::int64_t{2216248200000000}},
      {"2040-03-23 02:30:00 Asia/Jerusalem", std::int64_t{2216075400000000}},
      {"2040-07-01 12:00:00 Asia/Tehran", std::int64_t{2224744200000000}},
      {"2020-07-01 12:00:00 US/Pacific", std::int64_t{1593630000000000}},
      {"2020-07-01 12:00:00 GMT0", std::int64_t{1593604800000000}},
      {"2020-07-01 12:00:00 Etc/GMT+5", std::int64_t{1593622800000000}},
      {"2020-07-01 12:00:00 EST5EDT", std::int64_t{1593619200000000}},
      {"2020-07-01 12:00:00 CET", std::int64_t{1593597600000000}},
      {"2020-07-01 12:00:00 Europe/Nowhere", std::nullopt},
      {"2020-07-01 12:00:00 europe/paris", std::nullopt},
      {"2020-07-01 12:00:00 posix/Europe/Paris", std::nullopt},
      {"2020-07-01 12:00:00 right/Europe/Paris", std::nullopt},
      {"2020-07-01 12:00:00 ROC", std::nullopt},
      {"2020-07-01 12:00:00 Factory", std::nullopt},
      {"2020-07-01 12:00:00 localtime", std::nullopt},
      {"2020-07-01 12:00:00 posixrules", std::nullopt},
      {"2020-07-01 12:00:00 Europe/../Europe/Paris", std::nullopt},
      {"2020-07-01 12:00:00 Asia/Taipei", std::int64_t{1593576000000000}},
      {"2020-07-01T10:00:00Europe/Paris", std::int64_t{1593590400000000}},
      {"2020-07-01T10:00:00 Europe/Paris", std::int64_t{1593590400000000}},
      {"2020-07-01 10:00:00.123456 America/New_York", std::int64_t{1593612000123456}},
      {"2020-07-01 10:00 Europe/Paris", std::nullopt},
      {"2020-07-01 10:00:00  Europe/Paris  ", std::int64_t{1593590400000000}},
      {"2020-07-01 10:00:00 UTC", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 UCT", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 Zulu", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 Universal", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 GMT", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 Greenwich", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 Etc/UTC", std::int64_t{1593597600000000}},
      {"2020-07-01 10:00:00 America/Indiana/Indianapolis", std::int64_t{1593612000000000}},
      {"2020 Europe/Paris", std::nullopt},
      {"2020-07-01 Europe/Paris", std::nullopt},
      {"2020-07-01 10:00:00 Europe/Paris_", std::nullopt},
      {"2020-07-01 10:00:00 PDT", std::nullopt},
      {"2020-07-01 10:00:00 CEST", std::nullopt},
      {"2020-07-01 10:00:00 Europe/Paris+01:00", std::nullopt},
  };
  for (const SparkCase& spark : cases) {
    EXPECT_EQ(parse_timestamp(spark.text), spark.micros) << spark.text;
  }
}

// A TZif file (RFC 8536) of version 2: the 32-bit block, the 64-bit block, then the footer.
std::string tzif(const std::vector<std::int64_t>& times,
                 const std::vector<unsigned char>& types,
                 const std::vector<std::int32_t>& offsets,
                 std::string_view footer) {
  std::string out;
  const auto put = [&out](std::int64_t value, int width) {
    for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
      out += static_cast<char>((static_cast<std::uint64_t>(value) >> static_cast<unsigned>(shift)) &
                               0xFFU);
    }
  };
  for (const int width : {4, 8}) {
    out += "TZif2";
    out.append(15, '\0');
    for (const std::size_t count : {std::size_t{0}, std::size_t{0}, std::size_t{0}, times.size(),
                                    offsets.size(), std::size_t{4}}) {
      put(static_cast<std::int64_t>(count), 4);
    }
    for (const std::int64_t time : times) put(time, width);
    for (const unsigned char type : types) out += static_cast<char>(type);
    for (const std::int32_t offset : offsets) {
      put(offset, 4);
      out += '\0';
      out += '\0';
    }
    out.append("ZZZ", 4);
  }
  out += '\n';
  out += footer;
  out += '\n';
  return out;
}

TEST(TimeZone, ReadsTransitionsAndResolvesGapsAndOverlapsAsJavaTime) {
  // +00:00, then +01:00 from 1000000000 (a gap of an hour), then back at 2000000000 (an
  // overlap of an hour).
  const std::optional<ZoneRules> rules =
      ZoneRules::from_tzif(tzif({1'000'000'000, 2'000'000'000}, {1, 0}, {0, 3600}, "<+00>0"));
  ASSERT_TRUE(rules.has_value());
  EXPECT_EQ(rules->offset_at(999'999'999), 0);
  EXPECT_EQ(rules->offset_at(1'000'000'000), 3600);
  EXPECT_EQ(rules->offset_at(2'000'000'000), 0);
  // The local hour skipped: forward by the gap, the same instant as the offset before.
  EXPECT_EQ(rules->epoch_second_of_local(1'000'000'000 + 1800), 1'000'000'000 + 1800);
  EXPECT_EQ(rules->epoch_second_of_local(1'000'000'000 + 3600), 1'000'000'000);
  // The local hour repeated: the earlier offset (+01:00).
  EXPECT_EQ(rules->epoch_second_of_local(2'000'000'000 - 1800), 2'000'000'000 - 5400);
  EXPECT_EQ(rules->epoch_second_of_local(2'000'000'000), 2'000'000'000 - 3600);
  EXPECT_EQ(rules->epoch_second_of_local(2'000'000'000 + 3600), 2'000'000'000 + 3600);
}

TEST(TimeZone, FollowsTheFootersYearlyRuleAfterTheLastTransition) {
  // No transitions at all: Europe/Paris's rule from the first year on.
  const std::optional<ZoneRules> paris =
      ZoneRules::from_tzif(tzif({}, {}, {3600}, "CET-1CEST,M3.5.0,M10.5.0/3"));
  ASSERT_TRUE(paris.has_value());
  // The values Spark gives for 2020-03-29 02:30 and 2020-10-25 02:30 in Europe/Paris.
  EXPECT_EQ(paris->epoch_second_of_local(1'585'449'000), 1'585'445'400);
  EXPECT_EQ(paris->epoch_second_of_local(1'603'593'000), 1'603'585'800);
  EXPECT_EQ(paris->offset_at(1'593'590'400), 7200);
  EXPECT_EQ(paris->offset_at(1'577'869'200), 3600);
  // Jn never counts February 29, n does; the times are local.
  const std::optional<ZoneRules> julian =
      ZoneRules::from_tzif(tzif({}, {}, {3600}, "<+01>-1<+02>,J60/2,300/3"));
  ASSERT_TRUE(julian.has_value());
  EXPECT_EQ(julian->offset_at(1'614'560'400 - 1), 3600);  // 2021-03-01T01:00Z
  EXPECT_EQ(julian->offset_at(1'614'560'400), 7200);
  EXPECT_EQ(julian->offset_at(1'635'382'800 - 1), 7200);  // 2021-10-28T01:00Z
  EXPECT_EQ(julian->offset_at(1'635'382'800), 3600);
  EXPECT_EQ(julian->offset_at(1'583'024'400), 7200);  // 2020-03-01T01:00Z, a leap year
  const std::optional<ZoneRules> zero_based =
      ZoneRules::from_tzif(tzif({}, {}, {3600}, "<+01>-1<+02>,59/2,300/3"));
  ASSERT_TRUE(zero_based.has_value());
  EXPECT_EQ(zero_based->offset_at(1'582'938'000 - 1), 3600);  // 2020-02-29T01:00Z
  EXPECT_EQ(zero_based->offset_at(1'582'938'000), 7200);
}

TEST(TimeZone, RefusesWhatIsNotATzifFile) {
  EXPECT_FALSE(ZoneRules::from_tzif("").has_value());
  EXPECT_FALSE(ZoneRules::from_tzif("TZif2").has_value());
  EXPECT_FALSE(ZoneRules::from_tzif("# tzdb data for the world's time zones\n").has_value());
  std::string truncated = tzif({1'000'000'000}, {1}, {0, 3600}, "<+01>-1");
  truncated.resize(truncated.size() / 2 + 10);
  EXPECT_FALSE(ZoneRules::from_tzif(truncated).has_value());
}

TEST(TimeZone, KnowsOnlyJavaTimesRegionIds) {
  EXPECT_NE(find_region_zone("Europe/Paris"), nullptr);
  EXPECT_EQ(find_region_zone("Europe/Paris"), find_region_zone("Europe/Paris"));  // cached
  for (const char* id : {"europe/paris", "Europe/Nowhere", "posix/Europe/Paris",
                         "right/Europe/Paris", "Europe/../Europe/Paris", "/etc/passwd", "localtime",
                         "posixrules", "Factory", "ROC", "zone.tab", "", "E"}) {
    EXPECT_EQ(find_region_zone(id), nullptr) << id;
  }
}

TEST(TimeZone, ZonesAreReadOnceWhateverTheThreads) {
  const std::vector<std::string_view> ids = {"Asia/Tokyo", "America/Chicago", "Africa/Cairo",
                                             "Asia/Nowhere"};
  std::vector<std::vector<const ZoneRules*>> seen(4);
  {
    std::vector<std::jthread> threads;
    for (std::size_t thread = 0; thread < seen.size(); ++thread) {
      threads.emplace_back([&ids, &found = seen[thread]] {
        for (int round = 0; round < 50; ++round) {
          for (const std::string_view id : ids) found.push_back(find_region_zone(id));
        }
      });
    }
  }
  for (const std::vector<const ZoneRules*>& found : seen) EXPECT_EQ(found, seen.front());
  EXPECT_EQ(seen.front()[3], nullptr);
  EXPECT_NE(seen.front()[0], nullptr);
}

}  // namespace
}  // namespace kafkasink::detail
