// CSV records and lines as Spark 3.5 splits them: one record per line by default
// (`multiLine=false`: Hadoop's line reader, then univocity per line), quoted fields across
// lines with `multiLine=true`, and the UTF-8 byte-order mark. Every expectation here was
// read from PySpark 3.5.7 on the same bytes.
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/reader.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

using test::read_csv;

TEST(CsvLines, AnUnclosedQuoteEndsWithItsLineInEveryMode) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,b,c\n1,a,3\n2,b,\"4\n5,c,6\n8,e,9\n");
  for (const char* mode : {"PERMISSIVE", "DROPMALFORMED", "FAILFAST"}) {
    EXPECT_THAT(
        read_csv(file, {{"header", "true"}, {"mode", mode}}).collect(),
        ElementsAre(Row{"1", "a", "3"}, Row{"2", "b", "4"}, Row{"5", "c", "6"}, Row{"8", "e", "9"}))
        << mode;
  }
}

TEST(CsvLines, MultiLineLetsAQuoteRunOnAcrossLines) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,b,c\n1,a,3\n2,b,\"4\n5,c,6\n8,e,9\"\n");
  EXPECT_THAT(read_csv(file, {{"header", "true"}, {"multiLine", "true"}}).collect(),
              ElementsAre(Row{"1", "a", "3"}, Row{"2", "b", "4\n5,c,6\n8,e,9"}));
  EXPECT_THAT(read_csv(file, {{"header", "true"}, {"multiLine", "false"}}).collect(),
              ElementsAre(Row{"1", "a", "3"}, Row{"2", "b", "4"}, Row{"5", "c", "6"},
                          Row{"8", "e", "9\""}));
}

TEST(CsvLines, WhatAnOpenQuoteHoldsAtTheEndOfALine) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.csv", "1,\"4,5\n2,\"a\\\"b\n3,\"\n4,\"ab  \n5,\"4\r\n6,\"  \n7,\"a\\\n8, \"a\n9,\"a\tb\n");
  EXPECT_THAT(read_csv(file).collect(),
              ElementsAre(Row{"1", "4,5"}, Row{"2", "a\"b"}, Row{"3", "\""}, Row{"4", "ab  "},
                          Row{"5", "4"}, Row{"6", "  "}, Row{"7", "a"}, Row{"8", " \"a"},
                          Row{"9", "a\tb"}));
}

TEST(CsvLines, AnOpenQuoteInTheHeaderEndsWithItsLine) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,\"b,c\n1,2\n");
  const DataFrame frame = read_csv(file, {{"header", "true"}});
  EXPECT_THAT(frame.columns(), ElementsAre("a", "b,c"));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", "2"}));
}

TEST(CsvLines, ALoneCarriageReturnEndsALine) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,b\r1,\"x\ry\"\r2,z\r\n3,w\n");
  EXPECT_THAT(read_csv(file, {{"header", "true"}}).collect(),
              ElementsAre(Row{"1", "x"}, Row{"y\"", nullptr}, Row{"2", "z"}, Row{"3", "w"}));
}

TEST(CsvLines, LinesOfOnlyWhiteSpaceAreSkippedUnlessMultiLine) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,b\n  \n1,2\n\t\n \t,x\n");
  EXPECT_THAT(read_csv(file, {{"header", "true"}}).collect(),
              ElementsAre(Row{"1", "2"}, Row{" \t", "x"}));
  EXPECT_THAT(read_csv(file, {{"header", "true"}, {"multiLine", "true"}}).collect(),
              ElementsAre(Row{"  ", nullptr}, Row{"1", "2"}, Row{"\t", nullptr}, Row{" \t", "x"}));
}

TEST(CsvLines, FailFastNamesTheLineAfterAnOpenQuote) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", "1,\"a\n2,b\n3,x,y\n");
  DataFrameReader reader;
  reader.format("csv")
      .schema(Schema({{"n", int_type(), true}, {"s", string_type(), true}}))
      .option("mode", "FAILFAST");
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<ParseError>(fmt::format(
                  "Malformed CSV record in {} at line 3: expected 2 fields, found 3", file)));
  reader.option("mode", "PERMISSIVE");
  EXPECT_THAT(reader.load(file).collect(), ElementsAre(Row{1, "a"}, Row{2, "b"}, Row{3, "x"}));
}

TEST(CsvLines, TheMultiLineOptionTakesTrueOrFalse) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1\n");
  EXPECT_THAT(
      [&] {
        read_csv(file, {{"multiline", "yes"}});
      },
      ThrowsMessage<IllegalArgumentError>("multiline flag can be true or false."));
}

TEST(CsvLines, AByteOrderMarkStartingTheFileIsNotData) {
  test::TemporaryFolder folder;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string with_header = folder.write("h.csv", bom + "a,b\n1,2\n");
  const std::string without = folder.write("d.csv", bom + "x,y\n1,2\n");
  for (const char* multi_line : {"false", "true"}) {
    const DataFrame frame = read_csv(with_header, {{"header", "true"}, {"multiLine", multi_line}});
    EXPECT_THAT(frame.columns(), ElementsAre("a", "b")) << multi_line;
    EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", "2"}));
    EXPECT_THAT(read_csv(without, {{"multiLine", multi_line}}).collect(),
                ElementsAre(Row{"x", "y"}, Row{"1", "2"}));
  }
  // A quoted first field after the mark is still quoted.
  const std::string quoted = folder.write("q.csv", bom + "\"a,b\",c\n1,2\n");
  EXPECT_THAT(read_csv(quoted, {{"header", "true"}}).columns(), ElementsAre("a,b", "c"));
  // A file of nothing but the mark has no columns.
  EXPECT_EQ(read_csv(folder.write("only.csv", bom)).schema().size(), 0U);
}

TEST(CsvLines, AByteOrderMarkElsewhereIsData) {
  test::TemporaryFolder folder;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string file = folder.write("a.csv", bom + "a\n" + bom + "x\n");
  for (const char* multi_line : {"false", "true"}) {
    EXPECT_THAT(read_csv(file, {{"multiLine", multi_line}}).collect(),
                ElementsAre(Row{"a"}, Row{bom + "x"}))
        << multi_line;
  }
  // Spark drops a second mark at the start of the file too, but only line by line.
  const std::string twice = folder.write("b.csv", bom + bom + "a,b\n1,2\n");
  EXPECT_THAT(read_csv(twice, {{"header", "true"}}).columns(), ElementsAre("a", "b"));
  EXPECT_THAT(read_csv(twice, {{"header", "true"}, {"multiLine", "true"}}).columns(),
              ElementsAre(bom + "a", "b"));
}

TEST(CsvLines, ALookupThatFailsShowsInvisibleCharactersEscaped) {
  test::TemporaryFolder folder;
  // A zero-width space and a byte-order mark that is not at the start of the file: data.
  const std::string file = folder.write("a.csv",
                                        "\xE2\x80\x8B"
                                        "a,b\xEF\xBB\xBF,c\td\n1,2,3\n");
  const DataFrame frame = read_csv(file, {{"header", "true"}});
  EXPECT_THAT([&] { (void)frame.select({col("a")}); },
              ThrowsMessage<AnalysisError>(
                  "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
                  "`a` cannot be resolved. Did you mean one of the following? [`\\u200Ba`, "
                  "`b\\uFEFF`, `c\\u0009d`]."));
  EXPECT_THAT([&] { (void)frame["b"]; },
              ThrowsMessage<AnalysisError>(
                  "Cannot resolve column name \"b\" among (\\u200Ba, b\\uFEFF, c\\u0009d)"));
}

}  // namespace
}  // namespace kafkasink
