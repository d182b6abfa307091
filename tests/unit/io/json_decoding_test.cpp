// JSON lines whose bytes are not plain UTF-8, read as Spark 3.5 reads them: Jackson parses
// the bytes itself, skips a byte-order mark, fails the record on most malformed UTF-8 and
// decodes the rest by its bit patterns. Every expectation was read from PySpark 3.5.7.
#include <cstdint>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/reader.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;

DataFrame read_json(const std::string& path) {
  return DataFrameReader().format("json").load(path);
}

TEST(JsonDecoding, AByteOrderMarkStartingAnyLineIsSkipped) {
  test::TemporaryFolder folder;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string file = folder.write("a.json", bom + "{\"a\":1}\n" + bom + "{\"a\":2}\n");
  const DataFrame frame = read_json(file);
  EXPECT_THAT(frame.columns(), ElementsAre("a"));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{std::int64_t{1}}, Row{std::int64_t{2}}));
}

TEST(JsonDecoding, MalformedUtf8MakesTheRecordCorruptAndKeepsItsBytes) {
  test::TemporaryFolder folder;
  const std::vector<std::string> lines = {
      "{\"s\":\"ok\xFFok\"}",  // a byte that starts nothing
      "{\"s\":\"\xC3\"}",      // a lead byte without its continuation
      "{\"s\":\"\xE2\x82\"}",  // cut short
      "{\"s\":\"\x80\"}",      // a stray continuation byte
      "{\"k\xFF\":1}",         // in a name
  };
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  text += "{\"s\":\"x\"}\n";
  const DataFrame frame = read_json(folder.write("a.json", text));
  EXPECT_THAT(frame.columns(), ElementsAre("_corrupt_record", "s"));
  const std::vector<Row> rows = frame.collect();
  ASSERT_EQ(rows.size(), lines.size() + 1);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    EXPECT_EQ(rows[index], (Row{lines[index], nullptr})) << index;
  }
  EXPECT_EQ(rows.back(), (Row{nullptr, "x"}));
}

TEST(JsonDecoding, JacksonDecodesOverlongSurrogateAndOutOfRangeForms) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("a.json",
                   "{\"i\":2,\"s\":\"\xC0\x80\"}\n"          // overlong U+0000
                   "{\"i\":3,\"s\":\"\xED\xA0\x80\"}\n"      // a lone surrogate: '?'
                   "{\"i\":5,\"s\":\"\xF4\x90\x80\x80\"}\n"  // beyond U+10FFFF: two lone halves
                   "{\"i\":6,\"s\":\"\xF5\x80\x80\x80\"}\n"
                   "{\"i\":7,\"s\":\"\xE0\x80\x80\"}\n"      // overlong U+0000 in three bytes
                   "{\"i\":9,\"s\":\"\xF0\x9F\x98\x80\"}\n"  // valid
                   "{\"i\":11,\"s\":\"\xED\xA0\x80\xED\xB0\x80\"}\n"  // a surrogate pair: U+10000
                   "{\"i\":12,\"s\":\"\xF0\x80\x80\x80\"}\n"          // U+FFC0 and a lone half
                   "{\"i\":13,\"s\":\"\xC1\x9C\"}\n");  // an overlong backslash is data
  const DataFrame frame = read_json(file);
  EXPECT_THAT(frame.columns(), ElementsAre("i", "s"));
  EXPECT_THAT(frame.collect(),
              ElementsAre(Row{std::int64_t{2}, std::string(1, '\0')}, Row{std::int64_t{3}, "?"},
                          Row{std::int64_t{5}, "??"}, Row{std::int64_t{6}, "??"},
                          Row{std::int64_t{7}, std::string(1, '\0')},
                          Row{std::int64_t{9}, "\xF0\x9F\x98\x80"},
                          Row{std::int64_t{11}, "\xF0\x90\x80\x80"},
                          Row{std::int64_t{12}, "\xEF\xBF\x80?"}, Row{std::int64_t{13}, "\\"}));
}

TEST(JsonDecoding, NamesSplitOutOfRangeValuesByAddition) {
  test::TemporaryFolder folder;
  // Jackson's name decoder adds the high half where its value decoder ORs it: F0 80 80 80 is
  // U+D7C0 and a lone half in a name.
  const std::string file =
      folder.write("a.json", "{\"i\":3,\"\xF0\x80\x80\x80\":1}\n{\"i\":4,\"\xED\xA0\x80\":1}\n");
  EXPECT_THAT(read_json(file).columns(), ElementsAre("?", "i", "\xED\x9F\x80?"));
}

}  // namespace
}  // namespace kafkasink
