// CSV reading: tokenizing (quotes, embedded newlines, CRLF, escapes), header, inference,
// nullValue, modes, and the seed's census file.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/reader.hpp>
#include <kafkasink/session.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

using test::read_csv;

std::vector<std::string> type_names(const DataFrame& frame) {
  std::vector<std::string> names;
  for (const Field& field : frame.schema().fields()) names.push_back(field.type.to_string());
  return names;
}

TEST(CsvReader, WithoutHeaderNamesColumnsPositionallyAsStrings) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1,x\n2,y\n");
  const DataFrame frame = read_csv(file);
  EXPECT_THAT(frame.columns(), ElementsAre("_c0", "_c1"));
  EXPECT_THAT(type_names(frame), ElementsAre("string", "string"));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", "x"}, Row{"2", "y"}));
}

TEST(CsvReader, HeaderNamesColumnsAndIsSkippedInEveryFile) {
  test::TemporaryFolder folder;
  folder.write("a.csv", "id,name\n1,x\n");
  folder.write("b.csv", "id,name\n2,y\n");
  const DataFrame frame = read_csv(folder.path(), {{"header", "true"}});
  EXPECT_THAT(frame.columns(), ElementsAre("id", "name"));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", "x"}, Row{"2", "y"}));
  EXPECT_EQ(frame.num_partitions(), 2U);
}

TEST(CsvReader, HeaderNamesAreMadeSafeAsSparkDoes) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "a,,A,b\n1,2,3,4\n");
  EXPECT_THAT(read_csv(file, {{"header", "true"}}).columns(), ElementsAre("a0", "_c1", "A2", "b"));
}

TEST(CsvReader, QuotedFieldsKeepSeparatorsNewlinesAndDoubledQuotes) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("a.csv", "\"a,b\",\"line1\nline2\",\"say \"\"hi\"\"\"\nplain,\"\",x\n");
  const DataFrame frame = read_csv(file, {{"multiLine", "true"}});
  EXPECT_THAT(frame.collect(),
              ElementsAre(Row{"a,b", "line1\nline2", "say \"hi\""}, Row{"plain", nullptr, "x"}));
}

TEST(CsvReader, BackslashEscapesAQuoteInsideQuotes) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "\"say \\\"hi\\\"\",\"ends with \\\\\",c:\\dir\n");
  EXPECT_THAT(read_csv(file).collect(), ElementsAre(Row{"say \"hi\"", "ends with \\", "c:\\dir"}));
}

// PySpark 3.5.7, multiLine false, header on (`id,c1,...,c5`), line k being `k,<text>`: the
// fields univocity-parsers gives with Spark's defaults (quote `"`, escape `\`, the escape's
// escape `\`, unescapedQuoteHandling STOP_AT_DELIMITER). A quote inside a quoted value that is
// followed by neither a delimiter nor white space keeps the value raw up to the next delimiter.
TEST(CsvReader, QuotesAndEscapesSplitAsUnivocityDoesLineByLine) {
  struct QuoteCase {
    std::string text;
    Row spark;
  };
  const std::vector<QuoteCase> cases = {
      {"\"a\"\"\"", Row{"0", "a\"\"", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\"\",x", Row{"1", "a\"\"", "x", nullptr, nullptr, nullptr}},
      {"\"ab\" ,x", Row{"2", "ab", "x", nullptr, nullptr, nullptr}},
      {"\"ab\" c,x", Row{"3", "\"ab\" c", "x", nullptr, nullptr, nullptr}},
      {"\"ab\"\\x,y", Row{"4", "ab\"\\xy", nullptr, nullptr, nullptr, nullptr}},
      {"\"ab\"  ,x", Row{"5", "ab", "x", nullptr, nullptr, nullptr}},
      {"\"a\\\\\\\\\"", Row{"6", "a\\\\", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\\\b\"", Row{"7", "a\\b", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\b\"", Row{"8", "a\\b", nullptr, nullptr, nullptr, nullptr}},
      {"\"\\\\\"", Row{"9", "\\", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\\"", Row{"10", "a\"", nullptr, nullptr, nullptr, nullptr}},
      {"\"abc", Row{"11", "abc", nullptr, nullptr, nullptr, nullptr}},
      {"\"ab\"c\"d\",x", Row{"12", "\"ab\"c\"d\"", "x", nullptr, nullptr, nullptr}},
      {"\"a\"b,c\"d\"", Row{"13", "\"a\"b", "c\"d\"", nullptr, nullptr, nullptr}},
      {"x,\"a\"\"b\"", Row{"14", "x", "\"a\"\"b\"", nullptr, nullptr, nullptr}},
      {"\"\",\"\"", Row{"15", nullptr, nullptr, nullptr, nullptr, nullptr}},
      {"\"\"", Row{"16", nullptr, nullptr, nullptr, nullptr, nullptr}},
      {"\"", Row{"17", "\"", nullptr, nullptr, nullptr, nullptr}},
      {"a,\"", Row{"18", "a", "\"", nullptr, nullptr, nullptr}},
      {"\"a\\", Row{"19", "a", nullptr, nullptr, nullptr, nullptr}},
      {"\" a \"", Row{"20", " a ", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\t,x", Row{"21", "a", "x", nullptr, nullptr, nullptr}},
      {"\"a\"b\\\"c\",d", Row{"22", "\"a\"b\\\"c\"", "d", nullptr, nullptr, nullptr}},
      {"\"a\"\"b\"\"c\",d", Row{"23", "\"a\"\"b\"\"c\"", "d", nullptr, nullptr, nullptr}},
      {"\"{\"\"a\"\":1}\",z", Row{"24", "\"{\"\"a\"\":1}\"", "z", nullptr, nullptr, nullptr}},
      {"\"\"a,b", Row{"25", "\"\"a", "b", nullptr, nullptr, nullptr}},
      {"\"\"\"a\",b", Row{"26", "\"\"\"a\"", "b", nullptr, nullptr, nullptr}},
      {"a\"\"b,c", Row{"27", "a\"\"b", "c", nullptr, nullptr, nullptr}},
      {"\"a\"\",b", Row{"28", "a\"", "b", nullptr, nullptr, nullptr}},
      {"\"a\\\\\"b\",c", Row{"29", "\"a\\\"b\"", "c", nullptr, nullptr, nullptr}},
      {"\"a\"\\", Row{"30", "a\"\\", nullptr, nullptr, nullptr, nullptr}},
      {"\"\\\"a\\\"\",b", Row{"31", "\"a\"", "b", nullptr, nullptr, nullptr}},
      {"\"{\"\"a\"\":1,\"\"b\"\":2}\"",
       Row{"32", "\"{\"\"a\"\":1", "\"\"b\"\":2}\"", nullptr, nullptr, nullptr}},
      {"\"a\\\"b\"", Row{"33", "a\"b", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\\\\"", Row{"34", "a\\", nullptr, nullptr, nullptr, nullptr}},
      {"a\"b", Row{"35", "a\"b", nullptr, nullptr, nullptr, nullptr}},
      {"\"ab\"c", Row{"36", "\"ab\"c", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\"b\",z", Row{"37", "\"a\"\"b\"", "z", nullptr, nullptr, nullptr}},
      {"\"a\\\"\"b\"", Row{"38", "\"a\"\"b\"", nullptr, nullptr, nullptr, nullptr}},
      {"\"x\\\\\"y\",q", Row{"39", "\"x\\\"y\"", "q", nullptr, nullptr, nullptr}},
      {"a\\\"b,c", Row{"40", "a\\\"b", "c", nullptr, nullptr, nullptr}},
      {"\"a\\,b\",x", Row{"41", "a\\,b", "x", nullptr, nullptr, nullptr}},
      {"\"a\\nb\"", Row{"42", "a\\nb", nullptr, nullptr, nullptr, nullptr}},
      {"\"\",x", Row{"43", nullptr, "x", nullptr, nullptr, nullptr}},
      {"\"\\\"\",x", Row{"44", "\"", "x", nullptr, nullptr, nullptr}},
      {"\"a\"b\"c,d", Row{"45", "\"a\"b\"c", "d", nullptr, nullptr, nullptr}},
      {"\"\"\"\"", Row{"46", "\"\"", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\\\\\\"b\"", Row{"47", "a\\\"b", nullptr, nullptr, nullptr, nullptr}},
      {"ab\\,c", Row{"48", "ab\\", "c", nullptr, nullptr, nullptr}},
      {"\"a\" \"b\",c", Row{"49", "\"a\" \"b\"", "c", nullptr, nullptr, nullptr}},
      {"\"a\"  b,c", Row{"50", "\"a\"  b", "c", nullptr, nullptr, nullptr}},
      {"\"a\"\\\"b,c", Row{"51", "a\"\\\"bc", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\",\",b", Row{"52", "a\"", ",b", nullptr, nullptr, nullptr}},
      {"\"a\"\"\\\",b", Row{"53", "a\"\"\\b", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\\\"\",b", Row{"54", "a\"", "b", nullptr, nullptr, nullptr}},
      {"\"a\\\\\\\",b", Row{"55", "a\\\",b", nullptr, nullptr, nullptr, nullptr}},
      {"\"ab\"\",c", Row{"56", "ab\"", "c", nullptr, nullptr, nullptr}},
      {"\"ab\"\"\",c", Row{"57", "ab\"\"", "c", nullptr, nullptr, nullptr}},
      {"\"ab\"\"\"\",c", Row{"58", "ab\"\"\"", "c", nullptr, nullptr, nullptr}},
      {"\"a\"\"\"\"b\",c", Row{"59", "\"a\"\"\"\"b\"", "c", nullptr, nullptr, nullptr}},
      {"\"a\"\"\\\"b\",c", Row{"60", "a\"\"\\\"bc", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\"\\\\\"b\",c", Row{"61", "a\"\"\\\"bc", nullptr, nullptr, nullptr, nullptr}},
      {"x,\"\",y", Row{"62", "x", nullptr, "y", nullptr, nullptr}},
      {"x,\"\" ,y", Row{"63", "x", nullptr, "y", nullptr, nullptr}},
      {"x, \"a\",y", Row{"64", "x", " \"a\"", "y", nullptr, nullptr}},
      {"\"a\"b\"c\"d\"e\"f,z", Row{"65", "\"a\"b\"c\"d\"e\"f", "z", nullptr, nullptr, nullptr}},
      {"\"a\"\\\"\\\"\\\"x,y,z,w",
       Row{"66", "a\"\\\"\\\"\\\"xyzw", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\\\"b,c\"\\d,e,f", Row{"67", "a\"\\\"bc\"\\de,f", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\\\"\\b,c,d\"\\e,f,g",
       Row{"68", "a\"\\\"\\bcd\"\\ef,g", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\\,b,c", Row{"69", "a\"\\b,c", nullptr, nullptr, nullptr, nullptr}},
      {"\"a\"\\\\,b,c", Row{"70", "a\"\\b,c", nullptr, nullptr, nullptr, nullptr}},
  };
  std::string content = "id,c1,c2,c3,c4,c5\n";
  for (std::size_t k = 0; k < cases.size(); ++k) {
    content += std::to_string(k) + "," + cases[k].text + "\n";
  }
  test::TemporaryFolder folder;
  const std::vector<Row> rows =
      read_csv(folder.write("a.csv", content), {{"header", "true"}}).collect();
  ASSERT_EQ(rows.size(), cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) {
    EXPECT_EQ(rows[k], cases[k].spark) << cases[k].text;
  }
}

// univocity recurses once per stray quote (Java would overflow its stack on such a line);
// kafkasink loops, with the values PySpark gives for 30 repetitions: each line one field, its
// delimiters taken into the value.
TEST(CsvReader, ALineOfManyStrayQuotesReadsWithoutRecursion) {
  constexpr int kRepetitions = 200'000;
  std::string quote_x;
  std::string quote_escape;
  for (int k = 0; k < kRepetitions; ++k) {
    quote_x += "\"x";
    quote_escape += "\"\\";
  }
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("a.csv", "\"q\"\\" + quote_x + ",y\n\"q\"" + quote_escape + ",y,z\n");
  EXPECT_THAT(read_csv(file).collect(),
              ElementsAre(Row{"q\"\\" + quote_x + "y"}, Row{"q\"" + quote_escape + "yz"}));
}

TEST(CsvReader, EscapeEqualToTheQuoteDoublesQuotesAsRfc4180) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "\"a\"\"b\",\"{\"\"k\"\":1,\"\"v\"\":2}\"\n");
  EXPECT_THAT(read_csv(file, {{"escape", "\""}}).collect(),
              ElementsAre(Row{"a\"b", "{\"k\":1,\"v\":2}"}));
}

TEST(CsvReader, EscapeOptionChangesTheEscapeCharacter) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "\"a '\"\",\"b\\\"\n");
  // With escape ', a backslash is an ordinary character again, and '" a literal quote.
  EXPECT_THAT(read_csv(file, {{"escape", "'"}}).collect(), ElementsAre(Row{"a \"", "b\\"}));
}

TEST(CsvReader, CrLfLineEndingsAreStripped) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "h1,h2\r\n1,\"a\r\nb\"\r\n2,c\r\n");
  const DataFrame frame = read_csv(file, {{"header", "true"}, {"multiLine", "true"}});
  EXPECT_THAT(frame.columns(), ElementsAre("h1", "h2"));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", "a\r\nb"}, Row{"2", "c"}));
}

TEST(CsvReader, LastLineWithoutNewlineAndBlankLinesAreHandled) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1,a\n\n2,b");
  EXPECT_THAT(read_csv(file).collect(), ElementsAre(Row{"1", "a"}, Row{"2", "b"}));
}

TEST(CsvReader, LeadingAndTrailingSpacesAreKept) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", " a , b\n");
  EXPECT_THAT(read_csv(file).collect(), ElementsAre(Row{" a ", " b"}));
}

TEST(CsvReader, SepAndQuoteOptions) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1;'x;y'\n");
  EXPECT_THAT(read_csv(file, {{"sep", ";"}, {"quote", "'"}}).collect(),
              ElementsAre(Row{"1", "x;y"}));
  EXPECT_THAT(read_csv(file, {{"delimiter", ";"}, {"quote", ""}}).collect(),
              ElementsAre(Row{"1", "'x", "y'"}));
  const std::string tabs = folder.write("b.tsv", "1\tx\n");
  EXPECT_THAT(read_csv(tabs, {{"sep", "\\t"}}).collect(), ElementsAre(Row{"1", "x"}));
}

TEST(CsvReader, LinesWithoutAQuoteReadAsLinesWithQuotes) {
  // A line without a quote character is split without libcsv: it must read as the same line
  // quoted would (an empty unquoted field null, an escape outside quotes data, the last field
  // after a trailing separator).
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "x,,c\\d,\n\"x\",,\"c\\d\",\n,\n\",\"\ny \r\n");
  EXPECT_THAT(
      read_csv(file).collect(),
      ElementsAre(Row{"x", nullptr, "c\\d", nullptr}, Row{"x", nullptr, "c\\d", nullptr},
                  Row{nullptr, nullptr, nullptr, nullptr}, Row{",", nullptr, nullptr, nullptr},
                  Row{"y ", nullptr, nullptr, nullptr}));
  // An empty quote option makes the quote NUL (Spark hands univocity '\0' too), so a line with
  // a NUL byte is not split as an unquoted one.
  const std::string tabs = folder.write("b.tsv", std::string("1\t\0a\tb\0\t\t2\n", 11));
  EXPECT_THAT(read_csv(tabs, {{"sep", "\\t"}, {"quote", ""}}).collect(),
              ElementsAre(Row{"1", "a\tb", nullptr, "2"}));
}

TEST(CsvReader, InfersIntLongDoubleBooleanAndString) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv",
                                        "i,l,d,b,s,mixed,spaced,empty\n"
                                        "1,1,1,true,x,1,1,\n"
                                        "-2,3000000000,2.5,FALSE,2,true, 2,\n");
  const DataFrame frame = read_csv(file, {{"header", "true"}, {"inferSchema", "true"}});
  EXPECT_THAT(type_names(frame), ElementsAre("int", "bigint", "double", "boolean", "string",
                                             "string", "double", "string"));
  EXPECT_THAT(
      frame.collect(),
      ElementsAre(Row{1, std::int64_t{1}, 1.0, true, "x", "1", 1.0, nullptr},
                  Row{-2, std::int64_t{3000000000}, 2.5, false, "2", "true", 2.0, nullptr}));
}

TEST(CsvReader, InferenceIgnoresNullsAndWidensAcrossFiles) {
  test::TemporaryFolder folder;
  folder.write("a.csv", "1,\n2,NA\n");
  folder.write("b.csv", ",1.5\nNA,2\n");
  const DataFrame frame = read_csv(folder.path(), {{"inferSchema", "true"}, {"nullValue", "NA"}});
  EXPECT_THAT(type_names(frame), ElementsAre("int", "double"));
  EXPECT_THAT(frame.collect(),
              // b.csv first: it is the larger file.
              ElementsAre(Row{nullptr, 1.5}, Row{nullptr, 2.0}, Row{1, nullptr}, Row{2, nullptr}));
}

// PySpark 3.5.7, header and inferSchema on, one column `v`: the type and to_json of each file.
struct InferenceCase {
  std::string lines;
  std::string type;
  std::vector<std::string> json;
};

void expect_inferred(const InferenceCase& expected) {
  SCOPED_TRACE(expected.lines);
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "v\n" + expected.lines);
  const DataFrame frame = read_csv(file, {{"header", "true"}, {"inferSchema", "true"}});
  EXPECT_THAT(type_names(frame), ElementsAre(expected.type));
  std::vector<std::string> json;
  for (const Row& row : frame.select({to_json(struct_(frame.columns()))}).collect()) {
    json.push_back(row[0].as<std::string>());
  }
  EXPECT_EQ(json, expected.json);
}

TEST(CsvReader, InfersDecimalsDatesAndTimestampsAsSpark35) {
  const std::vector<InferenceCase> cases = {
      {"12345678901234567890\n", "decimal(20,0)", {R"({"v":12345678901234567890})"}},
      {"1\n12345678901234567890\n",
       "decimal(20,0)",
       {R"({"v":1})", R"({"v":12345678901234567890})"}},
      {"5000000000\n12345678901234567890\n",
       "decimal(20,0)",
       {R"({"v":5000000000})", R"({"v":12345678901234567890})"}},
      {"-12345678901234567890\n", "decimal(20,0)", {R"({"v":-12345678901234567890})"}},
      {"12345678901234567890123456789012345678\n",
       "decimal(38,0)",
       {R"({"v":12345678901234567890123456789012345678})"}},
      {"123456789012345678901234567890123456789\n", "double", {R"({"v":1.2345678901234568E38})"}},
      {"12345678901234567890\n1.5\n", "double", {R"({"v":1.2345678901234567E19})", R"({"v":1.5})"}},
      {"1e5\n", "double", {R"({"v":100000.0})"}},
      {"2020-01-01\n", "date", {R"({"v":"2020-01-01"})"}},
      {"+12345-01-01\n", "date", {R"({"v":"+12345-01-01"})"}},
      {"2020-1-1\n", "timestamp", {R"({"v":"2020-01-01T00:00:00.000Z"})"}},
      {"2020-01\n", "timestamp", {R"({"v":"2020-01-01T00:00:00.000Z"})"}},
      {" 2020-01-01\n", "timestamp", {R"({"v":"2020-01-01T00:00:00.000Z"})"}},
      {"2020-02-30\n", "string", {R"({"v":"2020-02-30"})"}},
      {"2020-01-01 00:00:00\n2020-01-01T10:20:30\n2020-01-01T10:20:30Z\n"
       "2020-01-01T10:20:30+01:00\n2020-01-01 10:20:30.123456\n",
       "timestamp",
       {R"({"v":"2020-01-01T00:00:00.000Z"})", R"({"v":"2020-01-01T10:20:30.000Z"})",
        R"({"v":"2020-01-01T10:20:30.000Z"})", R"({"v":"2020-01-01T09:20:30.000Z"})",
        R"({"v":"2020-01-01T10:20:30.123Z"})"}},
      {"2020-01-01 10:00:00 UTC\n", "timestamp", {R"({"v":"2020-01-01T10:00:00.000Z"})"}},
      {"2020-01-01\n2020-01-01 10:00:00\n",
       "timestamp",
       {R"({"v":"2020-01-01T00:00:00.000Z"})", R"({"v":"2020-01-01T10:00:00.000Z"})"}},
      {"2020-01-01 10:00:00\n2020-01-01\n",
       "timestamp",
       {R"({"v":"2020-01-01T10:00:00.000Z"})", R"({"v":"2020-01-01T00:00:00.000Z"})"}},
      {"1\n2020-01-01\n", "string", {R"({"v":"1"})", R"({"v":"2020-01-01"})"}},
      {"2020-01-01\ntrue\n", "string", {R"({"v":"2020-01-01"})", R"({"v":"true"})"}},
      {"2020-01-01\n12345678901234567890\n",
       "string",
       {R"({"v":"2020-01-01"})", R"({"v":"12345678901234567890"})"}},
  };
  for (const InferenceCase& expected : cases) expect_inferred(expected);
}

TEST(CsvReader, DecimalsWidenAcrossFiles) {
  test::TemporaryFolder folder;
  folder.write("a.csv", "v\n5\n");
  folder.write("b.csv", "v\n9223372036854775808\n");
  folder.write("c.csv", "v\n\n");
  const DataFrame frame = read_csv(folder.path(), {{"header", "true"}, {"inferSchema", "true"}});
  EXPECT_THAT(type_names(frame), ElementsAre("decimal(19,0)"));
  EXPECT_THAT(frame.collect(),
              ElementsAre(Row{*Decimal::parse("9223372036854775808")}, Row{Decimal(5, 0)}));
}

TEST(CsvReader, UserSchemaReadsTheNewTypes) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv",
                                        "1,300,1.5,1.255,2020-1-1,2020-01-01 12:00:00+01:00\n"
                                        "128,x,NaN,123.4,2020-02-30,2020-02-30\n");
  const Schema schema({{"b", byte_type()},
                       {"s", short_type()},
                       {"f", float_type()},
                       {"d", decimal_type(3, 2)},
                       {"day", date_type()},
                       {"t", timestamp_type()}});
  const DataFrame frame = DataFrameReader().format("csv").schema(schema).load(file);
  const std::vector<Row> rows = frame.collect();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0], (Row{std::int8_t{1}, std::int16_t{300}, 1.5F, Decimal(126, 2), Date{18'262},
                          Timestamp{1'577'876'400'000'000}}));
  EXPECT_TRUE(rows[1][0].is_null());  // 128 does not fit a tinyint
  EXPECT_TRUE(rows[1][1].is_null());
  EXPECT_TRUE(std::isnan(rows[1][2].as<float>()));
  EXPECT_TRUE(rows[1][3].is_null());  // 123.4 has too many digits for decimal(3,2)
  EXPECT_TRUE(rows[1][4].is_null());
  EXPECT_TRUE(rows[1][5].is_null());
}

TEST(CsvReader, WithoutInferSchemaNumbersStayStrings) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1,2.5\n");
  EXPECT_THAT(type_names(read_csv(file, {{"inferSchema", "false"}})),
              ElementsAre("string", "string"));
}

TEST(CsvReader, NullValueOptionMakesMatchingFieldsNull) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "NA,x,\"\"\n");
  EXPECT_THAT(read_csv(file, {{"nullValue", "NA"}}).collect(), ElementsAre(Row{nullptr, "x", ""}));
  EXPECT_THAT(read_csv(file).collect(), ElementsAre(Row{"NA", "x", nullptr}));
}

Schema age_schema() {
  return Schema({{"name", string_type(), true}, {"age", int_type(), true}});
}

TEST(CsvReader, UserSchemaConvertsValues) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "ann,41\nbob,\n");
  const DataFrame frame = DataFrameReader().schema(age_schema()).csv(file);
  EXPECT_EQ(frame.schema(), age_schema());
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"ann", 41}, Row{"bob", nullptr}));
}

TEST(CsvReader, UserSchemaWithHeaderSkipsTheHeader) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "n,a\nann,41\n");
  const DataFrame frame = DataFrameReader().schema(age_schema()).option("header", true).csv(file);
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"ann", 41}));
}

constexpr const char* kMalformed = "name,age\nann,41\nbob, x\ncid,7,extra\ndan\n";

TEST(CsvReader, PermissiveNullsUnconvertibleAndMissingFieldsAndDropsExtraOnes) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", kMalformed);
  const DataFrame frame = DataFrameReader()
                              .schema(age_schema())
                              .option("header", "true")
                              .option("mode", "PERMISSIVE")
                              .csv(file);
  EXPECT_THAT(frame.collect(),
              ElementsAre(Row{"ann", 41}, Row{"bob", nullptr}, Row{"cid", 7}, Row{"dan", nullptr}));
}

TEST(CsvReader, DropMalformedDropsBadRows) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", kMalformed);
  const DataFrame frame = DataFrameReader()
                              .schema(age_schema())
                              .option("header", "true")
                              .option("mode", "dropmalformed")
                              .csv(file);
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"ann", 41}));
}

TEST(CsvReader, FailFastNamesFileLineAndColumn) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", kMalformed);
  DataFrameReader reader;
  reader.format("csv").schema(age_schema()).option("header", "true").option("mode", "FAILFAST");
  EXPECT_THAT(
      [&] { reader.load(file); },
      ThrowsMessage<ParseError>(fmt::format(
          "Malformed CSV record in {} at line 3, column 'age': cannot parse ' x' as int", file)));
}

TEST(CsvReader, FailFastReportsAWrongFieldCount) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", "a,b\n1,2\n\"multi\nline\",2,3\n");
  DataFrameReader reader;
  reader.format("csv").option("header", "true").option("mode", "FAILFAST");
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<ParseError>(fmt::format(
                  "Malformed CSV record in {} at line 3: expected 2 fields, found 1", file)));
  reader.option("multiLine", "true");
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<ParseError>(fmt::format(
                  "Malformed CSV record in {} at line 3: expected 2 fields, found 3", file)));
}

TEST(CsvReader, FailFastCountsLinesInsideQuotedFields) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", "\"a\nb\",1\n\nc,x\n");
  DataFrameReader reader;
  reader.format("csv")
      .schema(Schema({{"s", string_type(), true}, {"n", long_type(), true}}))
      .option("mode", "FAILFAST")
      .option("multiLine", "true");
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<ParseError>(HasSubstr("at line 4, column 'n': cannot parse 'x' "
                                                  "as bigint")));
}

TEST(CsvReader, ArrayAndBinaryColumnsAreRejectedAsInSpark) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.csv", "1\n");
  DataFrameReader reader;
  reader.format("csv").schema(Schema({{"a", array_type(int_type()), true}}));
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<AnalysisError>(
                  "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support "
                  "the column `a` of the type \"ARRAY<INT>\"."));
  reader.schema(Schema({{"b", binary_type(), true}}));
  EXPECT_THAT([&] { reader.load(file); },
              ThrowsMessage<AnalysisError>(HasSubstr("column `b` of the type \"BINARY\".")));
}

TEST(CsvReader, EmptyFilesGiveAnEmptyFrame) {
  test::TemporaryFolder folder;
  folder.write("a.csv", "");
  const DataFrame frame = read_csv(folder.path());
  EXPECT_EQ(frame.count(), 0U);
  EXPECT_EQ(frame.schema().size(), 0U);
}

TEST(CsvReader, FramesBelongToTheReadersSession) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "1\n");
  const Session session = Session::builder().get_or_create();
  EXPECT_EQ(session.read().csv(file).session(), session.state());
}

// The seed: Spark reads data/census_1000.csv with header and inferSchema as 999 rows of 14
// columns (`_c0` is the pandas index the file was written with).
TEST(CsvReader, ReadsTheCensusFileAsSparkDoes) {
  const DataFrame frame = DataFrameReader()
                              .format("csv")
                              .option("header", "true")
                              .option("inferSchema", "true")
                              .load(test::source_path("data/census_1000.csv"));
  EXPECT_EQ(frame.count(), 999U);
  EXPECT_EQ(frame.schema().size(), 14U);
  EXPECT_THAT(frame.columns(),
              ElementsAre("_c0", "age", "workclass", "education", "education-num", "marital-status",
                          "occupation", "relationship", "ethnicity", "gender", "capital-gain",
                          "capital-loss", "hours-per-week", "loan"));
  EXPECT_THAT(type_names(frame),
              ElementsAre("int", "int", "string", "string", "int", "string", "string", "string",
                          "string", "string", "int", "int", "int", "string"));
  const std::vector<Row> rows = frame.take(2);
  EXPECT_EQ(rows[0]["_c0"], Value(0));
  EXPECT_EQ(rows[0]["age"], Value(57));
  EXPECT_EQ(rows[0]["workclass"], Value(" Private"));
  EXPECT_EQ(rows[0]["loan"], Value(" >50K"));
  bool state_gov = false;
  for (const Row& row : frame.collect())
    state_gov = state_gov || row["workclass"] == Value(" State-gov");
  EXPECT_TRUE(state_gov);
}

}  // namespace
}  // namespace kafkasink
