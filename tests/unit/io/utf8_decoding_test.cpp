// Invalid UTF-8, decoded as Spark's readers decode it: Java's decoder turns each malformed
// sequence into U+FFFD. The rule is checked against the `java` on the machine (a JDK is a test
// tool of the project; without one the oracle test fails) over every byte string of one or two
// bytes, the interesting ones of three and four, and random ones.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/expressions.hpp>
#include <kafkasink/reader.hpp>

#include "support/frames.hpp"
#include "unit/io/io_test_support.hpp"
#include "util/utf8.hpp"

namespace kafkasink {
namespace {

using detail::escape_invisible;
using detail::is_valid_utf8;
using detail::replace_malformed_utf8;
using ::testing::ElementsAre;

std::string hex(std::string_view bytes) {
  std::string out;
  for (const char byte : bytes) out += fmt::format("{:02X}", static_cast<unsigned char>(byte));
  return out;
}

std::string unhex(std::string_view text) {
  std::string out;
  for (std::size_t at = 0; at + 1 < text.size(); at += 2) {
    out += static_cast<char>(std::stoi(std::string(text.substr(at, 2)), nullptr, 16));
  }
  return out;
}

std::vector<std::string> corpus() {
  std::vector<std::string> inputs;
  for (int first = 0; first < 256; ++first) {
    inputs.emplace_back(1, static_cast<char>(first));
    for (int second = 0; second < 256; ++second) {
      inputs.push_back({static_cast<char>(first), static_cast<char>(second)});
    }
  }
  // The bytes where Java's rule changes its mind: range edges of leads and second bytes.
  const std::vector<unsigned char> edges = {
      0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
      0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF};
  for (const unsigned char a : edges) {
    for (const unsigned char b : edges) {
      for (const unsigned char c : edges) {
        inputs.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
      }
    }
  }
  const std::vector<unsigned char> lead4 = {0xE0, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF8};
  const std::vector<unsigned char> tail = {0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC2};
  for (const unsigned char a : lead4) {
    for (const unsigned char b : tail) {
      for (const unsigned char c : tail) {
        for (const unsigned char d : tail) {
          inputs.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                            static_cast<char>(d)});
        }
      }
    }
  }
  // Random strings, mostly high bytes, with valid characters mixed in.
  std::mt19937 random(20231201);
  const std::vector<std::string> valid = {
      "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "\n", ","};
  for (int count = 0; count < 20000; ++count) {
    std::string input;
    const int length = 1 + static_cast<int>(random() % 12);
    for (int index = 0; index < length; ++index) {
      if (random() % 4 == 0) {
        input += valid[random() % valid.size()];
      } else {
        input += static_cast<char>(0x80 + random() % 0x80);
      }
    }
    inputs.push_back(input);
  }
  return inputs;
}

/// Java's two decodings (String and CharsetDecoder) of each input, as UTF-8.
struct JavaResult {
  std::string via_string;
  std::string via_decoder;
};

std::vector<JavaResult> decode_with_java(const std::vector<std::string>& inputs) {
  if (std::system("command -v java >/dev/null 2>&1") != 0) {
    ADD_FAILURE() << "`java` is not on PATH: the UTF-8 oracle needs the JDK (a test tool of "
                     "the project, installed by ./dev.sh deps)";
    return {};
  }
  test::TemporaryFolder folder;
  std::string text;
  for (const std::string& input : inputs) text += hex(input) + '\n';
  const std::string in = folder.write("in.txt", text);
  const std::string out = folder.path() + "/out.txt";
  const std::string command = fmt::format(
      "java {} {} {} 2>&1", test::source_path("tests/support/java/Utf8Oracle.java"), in, out);
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "java failed: " << command;
    return {};
  }
  std::vector<JavaResult> results;
  std::ifstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t space = line.find(' ');
    results.push_back({unhex(line.substr(0, space)), unhex(line.substr(space + 1))});
  }
  return results;
}

TEST(Utf8Decoding, MatchesJavaOnEveryShortByteString) {
  const std::vector<std::string> inputs = corpus();
  const std::vector<JavaResult> java = decode_with_java(inputs);
  ASSERT_EQ(java.size(), inputs.size());
  std::size_t differences = 0;
  for (std::size_t index = 0; index < inputs.size(); ++index) {
    const std::string ours = replace_malformed_utf8(inputs[index]);
    // Both of Java's decoders agree, so one rule serves per-line and multiLine reading.
    EXPECT_EQ(java[index].via_string, java[index].via_decoder) << hex(inputs[index]);
    if (ours != java[index].via_string && ++differences <= 20) {
      ADD_FAILURE() << hex(inputs[index]) << ": kafkasink " << hex(ours) << ", Java "
                    << hex(java[index].via_string);
    }
    EXPECT_EQ(is_valid_utf8(inputs[index]), ours == inputs[index]) << hex(inputs[index]);
  }
  EXPECT_EQ(differences, 0U) << "of " << inputs.size() << " inputs";
}

TEST(Utf8Decoding, ALineEndNeverChangesHowTheLineBeforeItDecodes) {
  // Spark decodes each CSV line on its own; kafkasink decodes the whole file once. The two
  // agree because no malformed sequence ever takes in a following ASCII byte.
  for (const std::string& input : corpus()) {
    ASSERT_EQ(replace_malformed_utf8(input + "\n"), replace_malformed_utf8(input) + "\n")
        << hex(input);
    ASSERT_EQ(replace_malformed_utf8(input + "\r,x"), replace_malformed_utf8(input) + "\r,x")
        << hex(input);
  }
}

TEST(Utf8Decoding, SplitsMalformedSequencesAsJavaDoes) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(replace_malformed_utf8("ok\xFFok"), "ok" + r + "ok");
  EXPECT_EQ(replace_malformed_utf8("\xE2\x82"), r);              // truncated: one
  EXPECT_EQ(replace_malformed_utf8("\xE2\x82x"), r + "x");       // cut short: one
  EXPECT_EQ(replace_malformed_utf8("\xC0\x80"), r + r);          // overlong: two
  EXPECT_EQ(replace_malformed_utf8("\xE0\x80\x80"), r + r + r);  // overlong: three
  EXPECT_EQ(replace_malformed_utf8("\xED\xA0\x80"), r);          // a surrogate: one
  EXPECT_EQ(replace_malformed_utf8("\xED\xA0\x80\xED\xB0\x80"), r + r);
  EXPECT_EQ(replace_malformed_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // beyond U+10FFFF
  EXPECT_EQ(replace_malformed_utf8("\xF0\x90\x80x"), r + "x");
  EXPECT_EQ(replace_malformed_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(Utf8Decoding, CsvStringColumnsHoldTheReplacedText) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("bad.csv", "s,n\nok\xFFok,1\n\xC0\x80,2\n\xED\xA0\x80,3\n\xE2\x82\n");
  const std::string r = "\xEF\xBF\xBD";
  for (const char* multi_line : {"false", "true"}) {
    const DataFrame frame = DataFrameReader()
                                .format("csv")
                                .option("header", true)
                                .option("inferSchema", true)
                                .option("multiLine", multi_line)
                                .load(file);
    std::vector<std::string> strings;
    for (const Row& row : frame.collect()) strings.push_back(row[0].as<std::string>());
    EXPECT_THAT(strings, ElementsAre("ok" + r + "ok", r + r, r, r)) << multi_line;
    EXPECT_EQ(frame.collect()[1][1].as<std::int32_t>(), 2);
  }
}

TEST(Utf8Decoding, CsvHeaderNamesAreDecodedToo) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("bad.csv", "a\xFF,b\n1,2\n");
  const DataFrame frame = DataFrameReader().format("csv").option("header", true).load(file);
  EXPECT_THAT(frame.columns(), ElementsAre("a\xEF\xBF\xBD", "b"));
}

TEST(Utf8Decoding, ToJsonWritesWhatJavaDecodedAndCastToBinaryKeepsTheBytes) {
  // Strings made in code (or by CAST from binary) can hold any bytes, as Spark's can; Spark's
  // to_json writes their Java String, while the bytes themselves go to Kafka unchanged.
  const DataFrame frame = test::frame_of_strings({{"s", "ok\xFFok"}, {"k\xC0", "v"}});
  const std::vector<Row> rows =
      frame.select({to_json(struct_(frame.columns())).alias("j"), col("s").cast("binary")})
          .collect();
  EXPECT_EQ(rows[0][0], Value("{\"s\":\"ok\xEF\xBF\xBDok\",\"k\xEF\xBF\xBD\":\"v\"}"));
  EXPECT_EQ(rows[0][1], Value(Bytes{"ok\xFFok"}));
}

TEST(Utf8Decoding, EscapeInvisibleSpellsWhatCannotBeSeen) {
  EXPECT_EQ(escape_invisible("\xEF\xBB\xBF"
                             "a"),
            "\\uFEFFa");
  EXPECT_EQ(escape_invisible("a\xE2\x80\x8B"
                             "b"),
            "a\\u200Bb");
  EXPECT_EQ(escape_invisible("c\td"), "c\\u0009d");
  EXPECT_EQ(escape_invisible("a\xFF"), "a\\xFF");
  EXPECT_EQ(escape_invisible("\xF3\xA0\x80\x81"), "\\uDB40\\uDC01");  // U+E0001, a tag
  EXPECT_EQ(escape_invisible("plain name, caf\xC3\xA9 \xE4\xB8\xAD"),
            "plain name, caf\xC3\xA9 \xE4\xB8\xAD");
}

}  // namespace
}  // namespace kafkasink
