// DataFrameReader: formats, option keys and validation, paths and folder listing.
#include <string>
#include <utility>
#include <vector>

#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/reader.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Property;
using ::testing::ThrowsMessage;

TEST(DataFrameReader, ReadsAFolderLargestFileFirstSkippingHiddenAndUnderscoreFiles) {
  // Spark's batch scan sorts the files by length, largest first (FileSourceScanExec).
  test::TemporaryFolder folder;
  folder.write("b.csv", "22\n");
  folder.write("a.csv", "1\n");
  folder.write("_SUCCESS", "");
  folder.write("_c.csv", "99999\n");
  folder.write(".a.csv.crc", "99999\n");
  folder.write("c.csv", "333\n");
  const DataFrame frame = DataFrameReader().csv(folder.path());
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"333"}, Row{"22"}, Row{"1"}));
  EXPECT_EQ(frame.num_partitions(), 3U);
}

TEST(DataFrameReader, FilesOfEqualSizeKeepTheFolderListingOrder) {
  // Spark's sort is stable over Hadoop's listing of a local folder, java.io.File.list, which is
  // the directory's own order (readdir), not the names' order.
  test::TemporaryFolder folder;
  for (const char* name : {"e", "b", "a", "f", "d", "c"}) {
    folder.write(std::string(name) + ".csv", std::string(name) + "\n");
  }
  folder.write("big.csv", "big\n");
  std::vector<Row> expected{Row{"big"}};
  DIR* directory = ::opendir(folder.path().c_str());
  ASSERT_NE(directory, nullptr);
  while (const dirent* entry = ::readdir(directory)) {
    const std::string name = entry->d_name;
    if (name.size() == 5 && name.ends_with(".csv")) expected.push_back(Row{name.substr(0, 1)});
  }
  ::closedir(directory);
  EXPECT_EQ(DataFrameReader().csv(folder.path()).collect(), expected);
}

TEST(DataFrameReader, OptionKeysAreCaseInsensitiveAndTheLastSpellingWins) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "h\n1\n");
  const DataFrame frame = DataFrameReader()
                              .format("CSV")
                              .option("HEADER", "false")
                              .option("header", true)
                              .option("INFERschema", "TRUE")
                              .load(file);
  EXPECT_EQ(frame.schema(), Schema({{"h", int_type(), true}}));
}

// Spark's CaseInsensitiveMap: setting a key again in another spelling replaces it whichever
// spelling sorts first, so each order is tried with each final value.
TEST(DataFrameReader, TheLaterSpellingOfAnOptionWinsInEitherOrder) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "h\n1\n");
  const auto schema_read = [&file](const std::vector<std::pair<std::string, std::string>>& calls) {
    DataFrameReader reader;
    for (const auto& [key, value] : calls) reader.option(key, value);
    return reader.csv(file).schema();
  };
  const Schema header_inferred({{"h", int_type(), true}});
  const Schema no_header_strings({{"_c0", string_type(), true}});
  EXPECT_EQ(schema_read({{"Header", "false"},
                         {"header", "true"},
                         {"INFERSCHEMA", "false"},
                         {"inferSchema", "true"}}),
            header_inferred);
  EXPECT_EQ(schema_read({{"header", "false"},
                         {"Header", "true"},
                         {"inferSchema", "false"},
                         {"INFERSCHEMA", "true"}}),
            header_inferred);
  EXPECT_EQ(schema_read({{"Header", "true"},
                         {"header", "false"},
                         {"INFERSCHEMA", "true"},
                         {"inferSchema", "false"}}),
            no_header_strings);
  EXPECT_EQ(schema_read({{"header", "true"},
                         {"Header", "false"},
                         {"inferSchema", "true"},
                         {"INFERSCHEMA", "false"}}),
            no_header_strings);
}

TEST(DataFrameReader, MissingPathIsAParseError) {
  EXPECT_THAT([] { DataFrameReader().csv("no/such/file.csv"); },
              ThrowsMessage<ParseError>("Path does not exist: no/such/file.csv"));
}

TEST(DataFrameReader, EmptyFolderWithoutSchemaCannotBeInferred) {
  test::TemporaryFolder folder;
  EXPECT_THAT([&] { DataFrameReader().csv(folder.path()); },
              ThrowsMessage<AnalysisError>(
                  "Unable to infer schema for CSV. It must be specified manually."));
  const Schema schema({{"a", int_type(), true}});
  const DataFrame frame = DataFrameReader().schema(schema).csv(folder.path());
  EXPECT_EQ(frame.schema(), schema);
  EXPECT_EQ(frame.count(), 0U);
}

TEST(DataFrameReader, UnknownFormatIsRejected) {
  EXPECT_THAT([] { DataFrameReader().format("parquet").load("data"); },
              ThrowsMessage<IllegalArgumentError>(HasSubstr("Unsupported data source format "
                                                            "'parquet'")));
  EXPECT_THAT([] { DataFrameReader().load("data"); },
              ThrowsMessage<IllegalArgumentError>(HasSubstr("No format given")));
}

// Each bad option is reported by name, as the user spelled it.
void expect_bad_option(const std::string& key,
                       const std::string& value,
                       const std::string& message,
                       const std::string& format = "csv") {
  DataFrameReader reader;
  reader.format(format).option(key, value);
  EXPECT_THAT([&] { reader.load(test::source_path("data/census_1000.csv")); },
              ThrowsMessage<IllegalArgumentError>(message))
      << key;
  try {
    reader.load(test::source_path("data/census_1000.csv"));
  } catch (const IllegalArgumentError& error) {
    EXPECT_EQ(error.option(), key);
  }
}

TEST(DataFrameReader, BadOptionsNameTheOption) {
  expect_bad_option("Header", "yes", "Header flag can be true or false.");
  expect_bad_option("inferSchema", "1", "inferSchema flag can be true or false.");
  expect_bad_option("sep", "", "Delimiter cannot be empty string");
  expect_bad_option("sep", "::",
                    "sep must be a single character; multi-character separators like '::' are "
                    "not supported");
  expect_bad_option("quote", "''", "quote cannot be more than one character");
  expect_bad_option("escape", "\\\\", "escape cannot be more than one character");
  expect_bad_option("mode", "LENIENT",
                    "mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, not 'LENIENT'");
  expect_bad_option("mode", "strict",
                    "mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, not 'strict'", "json");
  expect_bad_option("multiLine", "true",
                    "multiLine=true is not supported for JSON: records are one line each", "json");
  expect_bad_option("encoding", "latin1",
                    "encoding 'latin1' is not supported: files are read as UTF-8");
}

TEST(DataFrameReader, OptionsMapAndTypedOverloads) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.csv", "x|y\n1|2\n");
  const DataFrame frame = DataFrameReader()
                              .options({{"sep", "|"}, {"header", "true"}})
                              .option("inferSchema", true)
                              .csv(file);
  EXPECT_THAT(frame.collect(), ElementsAre(Row{1, 2}));
}

}  // namespace
}  // namespace kafkasink
