// Bad input to the readers: malformed CSV rows and JSON lines in every mode, deep nesting,
// invalid UTF-8, binary garbage, empty files, empty folders and missing paths. Each has a
// documented result (docs/bad-input.md); none may crash or hang.
#include <cstdint>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/reader.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::ThrowsMessage;

// A header, a good row, a value that is no int, a row one field short, a row one field long,
// and a good row: every kind of malformed CSV record.
constexpr std::string_view kMalformedCsv =
    "id,name\n"
    "1,one\n"
    "two,two\n"
    "3\n"
    "4,four,extra\n"
    "5,five\n";

DataFrame read_malformed_csv(const std::string& path, const std::string& mode) {
  return DataFrameReader()
      .schema(Schema({{"id", int_type(), true}, {"name", string_type(), true}}))
      .option("header", true)
      .option("mode", mode)
      .csv(path);
}

TEST(BadCsvInput, PermissiveNullsWhatCannotBeReadAndKeepsEveryRow) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.csv", std::string(kMalformedCsv));
  EXPECT_THAT(read_malformed_csv(file, "PERMISSIVE").collect(),
              ElementsAre(Row{1, "one"}, Row{nullptr, "two"}, Row{3, nullptr}, Row{4, "four"},
                          Row{5, "five"}));
}

TEST(BadCsvInput, DropMalformedKeepsOnlyWellFormedRows) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.csv", std::string(kMalformedCsv));
  EXPECT_THAT(read_malformed_csv(file, "DROPMALFORMED").collect(),
              ElementsAre(Row{1, "one"}, Row{5, "five"}));
}

TEST(BadCsvInput, FailFastNamesTheFileTheLineAndTheColumn) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.csv", std::string(kMalformedCsv));
  EXPECT_THAT([&] { read_malformed_csv(file, "FAILFAST"); },
              ThrowsMessage<ParseError>("Malformed CSV record in " + file +
                                        " at line 3, column 'id': cannot parse 'two' as int"));
  const std::string short_row = folder.write("short.csv", "id,name\n1,one\n3\n");
  EXPECT_THAT([&] { read_malformed_csv(short_row, "FAILFAST"); },
              ThrowsMessage<ParseError>("Malformed CSV record in " + short_row +
                                        " at line 3: expected 2 fields, found 1"));
}

TEST(BadCsvInput, UnterminatedQuoteClosesTheFieldAtTheEndOfTheLine) {
  // Spark reads one record per line by default, so the quote ends with its line; with
  // multiLine, libcsv (without CSV_STRICT_FINI) and univocity end it at the end of the file.
  test::TemporaryFolder folder;
  const std::string file = folder.write("open.csv", "a,\"never closed\nstill open");
  EXPECT_THAT(DataFrameReader().csv(file).collect(),
              ElementsAre(Row{"a", "never closed"}, Row{"still open", nullptr}));
  EXPECT_THAT(DataFrameReader().option("multiLine", true).csv(file).collect(),
              ElementsAre(Row{"a", "never closed\nstill open"}));
}

TEST(BadCsvInput, BinaryGarbageReadsWithoutACrash) {
  // NUL bytes are field bytes like any other, and bytes that are not UTF-8 read as U+FFFD;
  // a lone CR ends a line, as Spark's default line separators (\r, \r\n, \n) do, and a line
  // of nothing but bytes up to 0x20 (here a NUL) is skipped, as Spark's String.trim empties it.
  test::TemporaryFolder folder;
  const std::string garbage("\x00\x01\xff,\xfe\r\x00\n\"\x80\"", 11);
  const std::string file = folder.write("garbage.csv", garbage);
  EXPECT_THAT(DataFrameReader().csv(file).collect(),
              ElementsAre(Row{std::string("\x00\x01\xEF\xBF\xBD", 5), "\xEF\xBF\xBD"},
                          Row{"\xEF\xBF\xBD", nullptr}));
}

TEST(BadCsvInput, InvalidUtf8IsDecodedAsJavaDecodesIt) {
  // Spark decodes each line into a Java String: every malformed sequence is one U+FFFD.
  test::TemporaryFolder folder;
  const std::string file = folder.write("latin.csv", "name\ncaf\xc3(\xff\xfe\n");
  EXPECT_THAT(DataFrameReader().option("header", true).csv(file).collect(),
              ElementsAre(Row{"caf\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD"}));
}

TEST(BadCsvInput, AHugeFieldIsReadWhole) {
  // One 8 MB field, quoted: libcsv's buffer must grow geometrically, not by 4 KiB at a time.
  // Unquoted, the line is split without libcsv.
  test::TemporaryFolder folder;
  const std::string big(8U << 20U, 'x');
  const std::string file = folder.write("big.csv", "1,\"" + big + "\"\n2," + big + "\n");
  const std::vector<Row> rows = DataFrameReader().csv(file).collect();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0][1].as<std::string>().size(), big.size());
  EXPECT_EQ(rows[1][1].as<std::string>().size(), big.size());
}

TEST(BadCsvInput, AnEmptyFileSortedBeforeTheFirstRecordReadsWithInferSchema) {
  // Fuzzer regression (csv_reader_fuzzer): a file read before the columns were known had no
  // inference state, and inference indexed past it.
  test::TemporaryFolder folder;
  folder.write("1.csv", "");
  folder.write("2.csv", "h1,h2\n3.5,x\n1,y\n");
  const DataFrame frame =
      DataFrameReader().option("header", true).option("inferSchema", true).csv(folder.path());
  EXPECT_EQ(frame.schema(), Schema({{"h1", double_type(), true}, {"h2", string_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{3.5, "x"}, Row{1.0, "y"}));
}

TEST(BadCsvInput, TheFuzzersCrashingInputReads) {
  // The input as the fuzzer split it: an empty file, then one full of form feeds.
  test::TemporaryFolder folder;
  folder.write("1.csv", "");
  folder.write("2.csv", "\f\fh1h2\n1l2\n\fh1,h2\n3.5,1l2\nx\n");
  const DataFrame frame =
      DataFrameReader().option("header", true).option("inferSchema", true).csv(folder.path());
  EXPECT_EQ(frame.schema(), Schema({{"\f\fh1h2", string_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1l2"}, Row{"\fh1"}, Row{"3.5"}, Row{"x"}));
}

TEST(BadCsvInput, EmptyFileGivesAnEmptyFrameWithoutColumns) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("empty.csv", "");
  const DataFrame frame = DataFrameReader().option("header", true).csv(file);
  EXPECT_EQ(frame.schema(), Schema());
  EXPECT_EQ(frame.count(), 0U);
}

// ---------------------------------------------------------------------------------------------

constexpr std::string_view kMalformedJson =
    "{\"a\":1}\n"
    "{\"a\":\n"
    "[1,2]\n"
    "{\"a\":\"text\"}\n";

DataFrame read_json(const std::string& path, const std::string& mode) {
  return DataFrameReader().option("mode", mode).json(path);
}

TEST(BadJsonInput, PermissiveKeepsMalformedLinesInTheCorruptRecordColumn) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.json", std::string(kMalformedJson));
  const DataFrame frame = read_json(file, "PERMISSIVE");
  EXPECT_EQ(frame.schema(),
            Schema({{"_corrupt_record", string_type(), true}, {"a", string_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{nullptr, "1"}, Row{"{\"a\":", nullptr},
                                           Row{"[1,2]", nullptr}, Row{nullptr, "text"}));
}

TEST(BadJsonInput, DropMalformedDropsMalformedLines) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.json", std::string(kMalformedJson));
  EXPECT_THAT(read_json(file, "DROPMALFORMED").collect(), ElementsAre(Row{"1"}, Row{"text"}));
}

TEST(BadJsonInput, FailFastNamesTheFileAndTheLine) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.json", std::string(kMalformedJson));
  EXPECT_THAT([&] { read_json(file, "FAILFAST"); },
              ThrowsMessage<ParseError>(StartsWith("Malformed JSON in " + file + " at line 2: ")));
  const std::string array = folder.write("array.json", "{\"a\":1}\n[1,2]\n");
  EXPECT_THAT([&] { read_json(array, "FAILFAST"); },
              ThrowsMessage<ParseError>("Malformed JSON in " + array +
                                        " at line 2: expected an object, found an array"));
}

TEST(BadJsonInput, TenThousandLevelsOfNestingAreAMalformedLineNotAStackOverflow) {
  // simdjson stops at 1024 levels with DEPTH_ERROR, iteratively: the line is malformed.
  test::TemporaryFolder folder;
  const std::string deep = "{\"a\":" + std::string(10'000, '[') + std::string(10'000, ']') + "}";
  const std::string file = folder.write("deep.json", deep + "\n{\"b\":1}\n");
  EXPECT_THAT([&] { read_json(file, "FAILFAST"); },
              ThrowsMessage<ParseError>(
                  "Malformed JSON in " + file +
                  " at line 1: The JSON document was too deep (too many nested objects and "
                  "arrays)"));
  const DataFrame frame = read_json(file, "PERMISSIVE");
  EXPECT_EQ(frame.schema(),
            Schema({{"_corrupt_record", string_type(), true}, {"b", long_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{deep, nullptr}, Row{nullptr, std::int64_t{1}}));
}

TEST(BadJsonInput, NestingWithinTheParsersLimitIsReadAsNestedArrays) {
  test::TemporaryFolder folder;
  constexpr int kLevels = 1000;
  const std::string file = folder.write(
      "deep.json", "{\"a\":" + std::string(kLevels, '[') + "1" + std::string(kLevels, ']') + "}\n");
  const DataFrame frame = read_json(file, "FAILFAST");
  DataType type = long_type();
  for (int level = 0; level < kLevels; ++level) type = array_type(type);
  EXPECT_EQ(frame.schema(), Schema({{"a", type, true}}));
  EXPECT_EQ(frame.count(), 1U);
}

TEST(BadJsonInput, InvalidUtf8MakesTheLineMalformed) {
  // JSON text must be UTF-8 (RFC 8259); Jackson fails on a byte that starts nothing, so the
  // line is malformed rather than passed through.
  test::TemporaryFolder folder;
  const std::string file = folder.write("latin.json", "{\"a\":\"caf\xe9\"}\n{\"a\":\"ok\"}\n");
  EXPECT_THAT(read_json(file, "DROPMALFORMED").collect(), ElementsAre(Row{"ok"}));
  EXPECT_THAT([&] { read_json(file, "FAILFAST"); },
              ThrowsMessage<ParseError>(StartsWith("Malformed JSON in " + file + " at line 1: ")));
}

TEST(BadJsonInput, ATimestampInSecondsBeyondTheMicrosecondRangeIsMalformed) {
  // Fuzzer regression (json_reader_fuzzer): seconds * 1,000,000 overflowed int64.
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("time.json", "{\"time\":17000000000001}\n{\"time\":1700000000}\n");
  const auto read = [&](const std::string& mode) {
    return DataFrameReader()
        .schema(Schema({{"time", timestamp_type(), true}}))
        .option("mode", mode)
        .json(file);
  };
  EXPECT_THAT(read("PERMISSIVE").collect(),
              ElementsAre(Row{nullptr}, Row{Timestamp{1'700'000'000'000'000}}));
  EXPECT_THAT([&] { read("FAILFAST"); },
              ThrowsMessage<ParseError>("Malformed JSON in " + file +
                                        " at line 1, column 'time': cannot convert "
                                        "17000000000001 to timestamp"));
}

TEST(BadJsonInput, EmptyAndBlankFilesGiveAnEmptyFrameWithoutColumns) {
  test::TemporaryFolder folder;
  folder.write("empty.json", "");
  folder.write("blank.json", "\n  \r\n\t\n");
  const DataFrame frame = read_json(folder.path(), "FAILFAST");
  EXPECT_EQ(frame.schema(), Schema());
  EXPECT_EQ(frame.count(), 0U);
}

// ---------------------------------------------------------------------------------------------

TEST(BadPaths, AFolderWithoutDataFilesCannotBeInferred) {
  test::TemporaryFolder folder;
  folder.write("_SUCCESS", "");
  folder.write(".part-0.crc", "x");
  EXPECT_THAT([&] { DataFrameReader().csv(folder.path()); },
              ThrowsMessage<AnalysisError>(
                  "Unable to infer schema for CSV. It must be specified manually."));
  EXPECT_THAT([&] { DataFrameReader().json(folder.path()); },
              ThrowsMessage<AnalysisError>(
                  "Unable to infer schema for JSON. It must be specified manually."));
}

TEST(BadPaths, AMissingPathNamesThePath) {
  test::TemporaryFolder folder;
  const std::string missing = folder.path() + "/no/such.csv";
  EXPECT_THAT([&] { DataFrameReader().csv(missing); },
              ThrowsMessage<ParseError>("Path does not exist: " + missing));
  EXPECT_THAT([&] { DataFrameReader().json(missing); },
              ThrowsMessage<ParseError>("Path does not exist: " + missing));
}

}  // namespace
}  // namespace kafkasink
