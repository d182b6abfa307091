// DataFrame::show_string against Spark 3.5's showString: every expected table below is what
// PySpark 3.5.7 printed for the same data (`df._jdf.showString(20, 20, False)`).
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <kafkasink/dataframe.hpp>

namespace kafkasink {
namespace {

DataFrame strings(const std::vector<std::string>& cells, const std::string& name = "a") {
  std::vector<Row> rows;
  for (const std::string& cell : cells) rows.push_back(Row{Value(cell)});
  return DataFrame::from_rows(Schema({{name, string_type()}}), rows);
}

TEST(Show, NullIsNullInUpperCaseAtEveryLevel) {
  const Schema schema({{"a", string_type()},
                       {"b", array_type(string_type())},
                       {"c", struct_type({{"a", int_type()}, {"b", string_type()}})},
                       {"aa", array_type(array_type(string_type()))}});
  const DataFrame frame = DataFrame::from_rows(
      schema, {Row{nullptr, ArrayValue{Value("x"), Value()}, StructValue{{1, nullptr}},
                   ArrayValue{Value(ArrayValue{Value()})}}});
  EXPECT_EQ(frame.show_string(),
            "+----+---------+---------+--------+\n"
            "|   a|        b|        c|      aa|\n"
            "+----+---------+---------+--------+\n"
            "|NULL|[x, NULL]|{1, NULL}|[[NULL]]|\n"
            "+----+---------+---------+--------+\n");
}

TEST(Show, BinaryPrintsAsHexBytes) {
  const Schema schema(
      {{"b", binary_type()}, {"ab", array_type(binary_type())}, {"n", binary_type()}});
  const DataFrame frame =
      DataFrame::from_rows(schema, {Row{Bytes{"ab"}, ArrayValue{Value(Bytes{"ab"})}, nullptr}});
  EXPECT_EQ(frame.show_string(),
            "+-------+---------+----+\n"
            "|      b|       ab|   n|\n"
            "+-------+---------+----+\n"
            "|[61 62]|[[61 62]]|NULL|\n"
            "+-------+---------+----+\n");
}

TEST(Show, EastAsianWideCharactersTakeTwoColumns) {
  const DataFrame frame = strings({"中文字", "한국어", "ab"});
  EXPECT_EQ(frame.show_string(),
            "+------+\n"
            "|     a|\n"
            "+------+\n"
            "|中文字|\n"
            "|한국어|\n"
            "|    ab|\n"
            "+------+\n");
  EXPECT_EQ(frame.show_string(20, false),
            "+------+\n"
            "|a     |\n"
            "+------+\n"
            "|中文字|\n"
            "|한국어|\n"
            "|ab    |\n"
            "+------+\n");
  std::string long_text;
  for (int count = 0; count < 25; ++count) long_text += "中";
  std::string cut;
  for (int count = 0; count < 17; ++count) cut += "中";
  EXPECT_EQ(strings({long_text, "ab"}).show_string(),
            "+-------------------------------------+\n"
            "|                                    a|\n"
            "+-------------------------------------+\n"
            "|" +
                cut +
                "...|\n"
                "|                                   ab|\n"
                "+-------------------------------------+\n");
}

TEST(Show, WideRangesAreSparksOwn) {
  // Spark's fullWidthRegex ranges, at their edges; a supplementary character counts two
  // because it is two UTF-16 units, not because the regex matches it.
  const std::vector<std::pair<std::uint32_t, std::size_t>> widths = {
      {0x1100, 2}, {0x115F, 2}, {0x1160, 1}, {0x2E7F, 1}, {0x2E80, 2},  {0xA4CF, 2},
      {0xA4D0, 1}, {0xAC00, 2}, {0xD7A3, 2}, {0xD7A4, 1}, {0xF900, 2},  {0xFAFF, 2},
      {0xFE10, 2}, {0xFE19, 2}, {0xFE1A, 1}, {0xFE30, 2}, {0xFE6F, 2},  {0xFF00, 2},
      {0xFF60, 2}, {0xFF61, 1}, {0xFFE0, 2}, {0xFFE6, 2}, {0x20000, 2}, {0x3000, 2}};
  for (const auto& [code, width] : widths) {
    std::string text;
    if (code < 0x10000) {
      text = {static_cast<char>(0xE0 | (code >> 12U)),
              static_cast<char>(0x80 | ((code >> 6U) & 0x3FU)),
              static_cast<char>(0x80 | (code & 0x3FU))};
    } else {
      text = {static_cast<char>(0xF0 | (code >> 18U)),
              static_cast<char>(0x80 | ((code >> 12U) & 0x3FU)),
              static_cast<char>(0x80 | ((code >> 6U) & 0x3FU)),
              static_cast<char>(0x80 | (code & 0x3FU))};
    }
    EXPECT_EQ(strings({text}).show_string(),
              "+---+\n|  a|\n+---+\n|" + std::string(3 - width, ' ') + text + "|\n+---+\n")
        << fmt::format("U+{:04X}", code);
  }
}

TEST(Show, TruncationCountsUtf16UnitsAndCanSplitAPair) {
  std::string twelve;
  std::string ten;
  std::string eight;
  for (int count = 0; count < 12; ++count) twelve += "\xF0\x9F\x98\x80";  // U+1F600
  for (int count = 0; count < 10; ++count) ten += "\xF0\x9F\x98\x80";
  for (int count = 0; count < 8; ++count) eight += "\xF0\x9F\x98\x80";
  EXPECT_EQ(strings({twelve, ten, "x"}).show_string(),
            "+--------------------+\n"
            "|                   a|\n"
            "+--------------------+\n"
            "|" +
                eight +
                "?...|\n"
                "|" +
                ten +
                "|\n"
                "|                   x|\n"
                "+--------------------+\n");
  EXPECT_EQ(strings({twelve}).show_string(20, false),
            "+------------------------+\n"
            "|a                       |\n"
            "+------------------------+\n"
            "|" +
                twelve +
                "|\n"
                "+------------------------+\n");
}

TEST(Show, ControlCharactersAreEscapedAsSparkEscapesThem) {
  const DataFrame frame =
      strings({"a\nb", "tab\there", "bell\a", "cr\rx", "ff\fx", "bs\bx", "vt\vx", "soh\x01x",
               "esc\x1bx", "del\x7fx", "nel\xC2\x85x", "bk\\n"});
  EXPECT_EQ(frame.show_string(),
            "+---------+\n"
            "|        a|\n"
            "+---------+\n"
            "|     a\\nb|\n"
            "|tab\\there|\n"
            "|   bell\\a|\n"
            "|    cr\\rx|\n"
            "|    ff\\fx|\n"
            "|    bs\\bx|\n"
            "|    vt\\vx|\n"
            "|    soh\x01x|\n"
            "|    esc\x1bx|\n"
            "|    del\x7fx|\n"
            "|    nel\xC2\x85x|\n"
            "|     bk\\n|\n"
            "+---------+\n");
  // Escaping comes before the cut, and applies to names and to strings inside arrays.
  EXPECT_EQ(strings({std::string(15, '\n')}).show_string(),
            "+--------------------+\n"
            "|                   a|\n"
            "+--------------------+\n"
            "|\\n\\n\\n\\n\\n\\n\\n\\n\\...|\n"
            "+--------------------+\n");
  EXPECT_EQ(DataFrame::from_rows(Schema({{"a\nb", int_type()}}), {Row{1}}).show_string(),
            "+----+\n"
            "|a\\nb|\n"
            "+----+\n"
            "|   1|\n"
            "+----+\n");
  EXPECT_EQ(DataFrame::from_rows(Schema({{"x", array_type(string_type())}}),
                                 {Row{ArrayValue{Value("a\nb"), Value()}}})
                .show_string(),
            "+------------+\n"
            "|           x|\n"
            "+------------+\n"
            "|[a\\nb, NULL]|\n"
            "+------------+\n");
}

TEST(Show, BytesThatAreNotUtf8PrintAsReplacementCharacters) {
  EXPECT_EQ(strings({"ok\xFFok"}, "s").show_string(),
            "+-----+\n"
            "|    s|\n"
            "+-----+\n"
            "|ok\xEF\xBF\xBDok|\n"
            "+-----+\n");
}

TEST(Show, AFrameWithoutColumnsPrintsEmptyBars) {
  EXPECT_EQ(DataFrame::from_rows(Schema(), {}).show_string(), "++\n||\n++\n++\n");
  Partition three_rows;
  three_rows.num_rows = 3;
  const DataFrame frame(Schema(), {three_rows});
  EXPECT_EQ(frame.show_string(), "++\n||\n++\n||\n||\n||\n++\n");
  EXPECT_EQ(frame.show_string(2), "++\n||\n++\n||\n||\n++\nonly showing top 2 rows\n");
}

}  // namespace
}  // namespace kafkasink
