// Java 17's number text, checked against the JDK on this machine: every double and float of a
// corpus of about half a million bit patterns is printed by Double.toString / Float.toString in
// JavaNumberText.java and by kafkasink, and every string of a corpus of parse inputs is read by
// Double.parseDouble / Float.parseFloat and by kafkasink; each line must be the same. The corpus
// aims at where the algorithms differ: [1e16, 1e26), subnormals, powers of ten and of two and
// their neighbours, integers below 2^63, floats widened to doubles, halfway decimals.
// A machine without `java` fails these tests: Java is the reference.
#include "util/java_number_text.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace kafkasink {
namespace {

namespace fs = std::filesystem;

using detail::append_java_double;
using detail::java_double_to_string;
using detail::java_float_to_string;
using detail::parse_java_double;
using detail::parse_java_float;

double from_bits(std::uint64_t bits) {
  return std::bit_cast<double>(bits);
}

std::uint64_t bits_of(double value) {
  return std::bit_cast<std::uint64_t>(value);
}

double parse_c(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

std::vector<double> double_corpus() {
  std::mt19937_64 random(20261201);
  std::vector<double> values = {0.0,
                                -0.0,
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                from_bits(0x7ff0000000000001),
                                from_bits(0xfff8000000000123),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::max(),
                                -std::numeric_limits<double>::max(),
                                1e23,
                                2e23,
                                from_bits(0x438f67ea69ed3795),
                                from_bits(0x4376345785d8a001)};
  for (int i = 0; i < 100'000; ++i) values.push_back(from_bits(random()));
  // Decimals of 1 to 17 digits over the whole exponent range.
  for (int i = 0; i < 40'000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 17);
    std::string text = random() % 2 != 0 ? "-" : "";
    for (int d = 0; d < digits; ++d)
      text += static_cast<char>('0' + (d == 0 ? 1 + random() % 9 : random() % 10));
    text += fmt::format("e{}", static_cast<int>(random() % 634) - 325);
    values.push_back(parse_c(text));
  }
  // Where Java 17's digits most often are not the shortest ones.
  std::uniform_real_distribution<double> unit(1.0, 10.0);
  for (int i = 0; i < 30'000; ++i) values.push_back(unit(random) * std::pow(10.0, 16 + i % 10));
  // The fast path's range, [1e-3, 1e7), and just outside it.
  for (int i = 0; i < 20'000; ++i) values.push_back(unit(random) * std::pow(10.0, -4 + i % 12));
  // Integers: small ones, and below and above 2^63 at every magnitude.
  for (int i = 1; i <= 10'000; ++i) values.push_back(i);
  for (int i = 0; i < 10'000; ++i) {
    values.push_back(static_cast<double>(random() >> (random() % 64)));
  }
  // Powers of ten and of two, three ulps either side.
  for (int exponent = -325; exponent <= 308; ++exponent) {
    const double power = parse_c(fmt::format("1e{}", exponent));
    double below = power;
    double above = power;
    values.push_back(power);
    for (int step = 0; step < 3; ++step) {
      below = std::nextafter(below, 0.0);
      above = std::nextafter(above, HUGE_VAL);
      values.push_back(below);
      values.push_back(above);
    }
  }
  for (int exponent = -1074; exponent <= 1023; ++exponent) {
    const double power = std::ldexp(1.0, exponent);
    values.push_back(power);
    values.push_back(std::nextafter(power, 0.0));
    values.push_back(std::nextafter(power, HUGE_VAL));
  }
  // Subnormals: the first 2,000 and 10,000 others.
  for (std::uint64_t bits = 1; bits <= 2'000; ++bits) values.push_back(from_bits(bits));
  for (int i = 0; i < 10'000; ++i) values.push_back(from_bits(random() & 0x000fffffffffffff));
  // Floats widened to doubles.
  for (int i = 0; i < 20'000; ++i) {
    const float value = std::bit_cast<float>(static_cast<std::uint32_t>(random()));
    values.push_back(static_cast<double>(value));
  }
  return values;
}

std::vector<float> float_corpus() {
  std::mt19937_64 random(1201);
  std::vector<float> values = {0.0F,
                               -0.0F,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::quiet_NaN(),
                               std::numeric_limits<float>::denorm_min(),
                               std::numeric_limits<float>::min(),
                               std::numeric_limits<float>::max(),
                               3.0e10F,
                               0.1F};
  for (int i = 0; i < 150'000; ++i) {
    values.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(random())));
  }
  for (int i = 0; i < 30'000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 9);
    std::string text = random() % 2 != 0 ? "-" : "";
    for (int d = 0; d < digits; ++d)
      text += static_cast<char>('0' + (d == 0 ? 1 + random() % 9 : random() % 10));
    text += fmt::format("e{}", static_cast<int>(random() % 86) - 46);
    values.push_back(std::strtof(text.c_str(), nullptr));
  }
  for (int i = 1; i <= 10'000; ++i) values.push_back(static_cast<float>(i));
  for (int i = 0; i < 10'000; ++i) {
    values.push_back(static_cast<float>(random() >> (random() % 64)));
  }
  for (int exponent = -46; exponent <= 38; ++exponent) {
    const float power = std::strtof(fmt::format("1e{}", exponent).c_str(), nullptr);
    float below = power;
    float above = power;
    values.push_back(power);
    for (int step = 0; step < 3; ++step) {
      below = std::nextafter(below, 0.0F);
      above = std::nextafter(above, HUGE_VALF);
      values.push_back(below);
      values.push_back(above);
    }
  }
  for (int exponent = -149; exponent <= 127; ++exponent) {
    const float power = std::ldexp(1.0F, exponent);
    values.push_back(power);
    values.push_back(std::nextafter(power, 0.0F));
    values.push_back(std::nextafter(power, HUGE_VALF));
  }
  for (std::uint32_t bits = 1; bits <= 2'000; ++bits) values.push_back(std::bit_cast<float>(bits));
  for (int i = 0; i < 10'000; ++i) {
    values.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(random() & 0x007fffff)));
  }
  return values;
}

// Strings for parseDouble and parseFloat: what Java prints, random decimals of up to 40
// digits, decimals a hair from halfway between two doubles, hexadecimal significands, and the
// shapes Java's grammar accepts or refuses.
std::vector<std::string> parse_corpus() {
  std::mt19937_64 random(31);
  std::vector<std::string> texts = {
      "0",
      "-0",
      "+0",
      "0.0",
      "-0.0",
      "1",
      "+1",
      "-1",
      "1.5",
      "1.5d",
      "1.5D",
      "1.5f",
      "1.5F",
      "1.5dd",
      "1.5df",
      "1d",
      "1f",
      ".5",
      "5.",
      ".",
      "-.",
      "+.5",
      "-5.",
      "1e5",
      "1E5",
      "1e+5",
      "1e-5",
      "1e",
      "1e+",
      "1e-",
      "e5",
      ".e5",
      "1.e5",
      "1.5e5d",
      "1e5.5",
      "1e400",
      "-1e400",
      "1e-400",
      "-1e-400",
      "2.4e-324",
      "2.5e-324",
      "4.9e-324",
      "1.7976931348623157e308",
      "1.7976931348623158e308",
      "1.7976931348623159e308",
      "3.4028235e38",
      "3.4028236e38",
      "1.4e-45",
      "7e-46",
      "7.1e-46",
      "NaN",
      "+NaN",
      "-NaN",
      "nan",
      "NaNd",
      "Infinity",
      "+Infinity",
      "-Infinity",
      "infinity",
      "Inf",
      "inf",
      "-inf",
      "Infinityd",
      "InfinityX",
      "+-1",
      "-+1",
      "--1",
      "++1",
      "1-",
      "1+",
      "1,5",
      "1_000",
      "1 000",
      " 1",
      "1 ",
      "\t1\t",
      "\x01"
      "1\x1f",
      "\x7f"
      "1",
      "1\x7f",
      "\xa0"
      "1",
      "",
      " ",
      "+",
      "-",
      "0x",
      "0x1",
      "0x1p",
      "0x1p1",
      "0X1P1",
      "0x1.8p1",
      "0x.8p1",
      "0x1.p1",
      "0x.p1",
      "0xp1",
      "0x1p+1",
      "0x1p-1",
      "-0x1p3",
      "+0x1p3",
      "0x1p3d",
      "0x1p3f",
      "0x1p3x",
      "0x1.fffffffffffffp1023",
      "0x1.fffffffffffff8p1023",
      "0x1p1024",
      "0x1p-1074",
      "0x1p-1075",
      "0x1.0000001p-1075",
      "0x0.0000000000001p-1022",
      "0x1p-1080",
      "0xffffffffffffffffffffp0",
      "0x0p0",
      "0x0p99999",
      "00x1p1",
      "0x-1p1",
      "1e99999999999999999999",
      "1e-99999999999999999999",
      "0e99999999999999999999",
      "0.0000000000000000000000000000000001e-300",
      "100000000000000000000000000000000000000000000000000000000000000000000000000000e-380",
      "123456789012345678901234567890",
      "0.1",
      "0.2",
      "0.3",
      "9007199254740993",
      "9007199254740993.0000000000000000001",
      "2.2250738585072012e-308",
      "2.2250738585072011e-308"};
  for (int i = 0; i < 10'000; ++i) {
    std::string text = java_double_to_string(from_bits(random()));
    if (i % 3 == 0) text += "dDfF"[random() % 4];
    if (i % 5 == 0)
      text = static_cast<char>(random() % 33) + text + static_cast<char>(random() % 33);
    texts.push_back(text);
  }
  for (int i = 0; i < 15'000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 40);
    const int point = static_cast<int>(random() % static_cast<std::uint64_t>(digits + 2)) - 1;
    std::string text = random() % 3 == 0 ? "-" : "";
    for (int d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += static_cast<char>('0' + random() % 10);
    }
    if (random() % 4 != 0) text += fmt::format("e{}", static_cast<int>(random() % 700) - 350);
    texts.push_back(text);
  }
  for (int i = 0; i < 10'000; ++i) {
    // An exact decimal a hair below, at, or above the midpoint of two neighbouring doubles (or
    // floats): long double holds the midpoint exactly, and printf prints it exactly.
    const long double low = i % 2 == 0 ? static_cast<long double>(from_bits(random() >> 1))
                                       : static_cast<long double>(std::bit_cast<float>(
                                             static_cast<std::uint32_t>(random() >> 33)));
    if (!std::isfinite(low) || low == 0) continue;
    const long double high =
        i % 2 == 0 ? static_cast<long double>(std::nextafter(static_cast<double>(low), HUGE_VAL))
                   : static_cast<long double>(std::nextafter(static_cast<float>(low), HUGE_VALF));
    const long double middle = (low + high) / 2;
    const int digits = i % 2 == 0 ? 40 : 30;
    texts.push_back(fmt::format("{:.{}e}", middle, digits));
    texts.push_back(fmt::format("{:.{}e}", std::nextafter(middle, 0.0L), digits));
    texts.push_back(fmt::format("{:.{}e}", std::nextafter(middle, HUGE_VALL), digits));
  }
  const char* const kHex = "0123456789abcdefABCDEF";
  for (int i = 0; i < 8'000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 18);
    const int point = static_cast<int>(random() % static_cast<std::uint64_t>(digits + 2)) - 1;
    std::string text = random() % 3 == 0 ? "-0" : "0";
    text += random() % 2 != 0 ? 'x' : 'X';
    for (int d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += kHex[random() % 22];
    }
    text += random() % 2 != 0 ? 'p' : 'P';
    text += fmt::format("{}", static_cast<int>(random() % 2300) - 1150);
    if (random() % 4 == 0) text += "dDfF"[random() % 4];
    texts.push_back(text);
  }
  return texts;
}

std::string hex_bytes(const std::string& text) {
  std::string hex;
  for (const char c : text) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return hex;
}

// Runs JavaNumberText.java in `mode` over `lines` and returns its output, one line per input.
// ctest runs each test in a process of its own, so each runs java once, for its own corpus.
std::vector<std::string> run_java(const char* mode, const std::vector<std::string>& lines) {
  const fs::path directory =
      fs::temp_directory_path() / fmt::format("kafkasink_java_number_text_{}_{}", ::getpid(), mode);
  fs::create_directories(directory);
  {
    std::ofstream out(directory / "input.txt");
    for (const std::string& line : lines) out << line << '\n';
  }
  const std::string command =
      fmt::format("java {}/tests/unit/util/JavaNumberText.java {} {} {}", KAFKASINK_SOURCE_DIR,
                  mode, (directory / "input.txt").string(), (directory / "output.txt").string());
  const int status = std::system(command.c_str());
  std::vector<std::string> output;
  std::ifstream in(directory / "output.txt");
  for (std::string line; std::getline(in, line);) output.push_back(line);
  fs::remove_all(directory);
  EXPECT_EQ(status, 0) << "`java` failed or is missing: this test needs JDK 17 on PATH";
  EXPECT_EQ(output.size(), lines.size()) << mode;
  return output;
}

// Compares Java's answer for every input with ours, printing the first differences.
template <typename Input, typename Print, typename Ours>
void expect_same(const std::vector<std::string>& java,
                 const std::vector<Input>& inputs,
                 Print print,
                 Ours ours) {
  std::size_t differences = 0;
  for (std::size_t i = 0; i < inputs.size() && i < java.size(); ++i) {
    const std::string mine = ours(inputs[i]);
    if (mine != java[i] && ++differences <= 20) {
      ADD_FAILURE() << "input " << print(inputs[i]) << ": Java " << java[i] << ", kafkasink "
                    << mine;
    }
  }
  EXPECT_EQ(differences, 0U) << "of " << inputs.size() << " inputs";
}

template <typename Item, typename Format>
std::vector<std::string> lines_of(const std::vector<Item>& items, Format format) {
  std::vector<std::string> lines;
  lines.reserve(items.size());
  for (const Item& item : items) lines.push_back(format(item));
  return lines;
}

std::string double_bits(double value) {
  return fmt::format("{:016x}", bits_of(value));
}

std::string float_bits(float value) {
  return fmt::format("{:08x}", std::bit_cast<std::uint32_t>(value));
}

std::string quoted(const std::string& text) {
  return "'" + text + "' (" + hex_bytes(text) + ")";
}

TEST(JavaNumberText, DoubleToStringIsJava17sOverTheCorpus) {
  const std::vector<double> doubles = double_corpus();
  ASSERT_GT(doubles.size(), 250'000U);
  expect_same(run_java("double-to-string", lines_of(doubles, double_bits)), doubles, double_bits,
              [](double value) { return java_double_to_string(value); });
}

TEST(JavaNumberText, FloatToStringIsJava17sOverTheCorpus) {
  const std::vector<float> floats = float_corpus();
  ASSERT_GT(floats.size(), 200'000U);
  expect_same(run_java("float-to-string", lines_of(floats, float_bits)), floats, float_bits,
              [](float value) { return java_float_to_string(value); });
}

TEST(JavaNumberText, ParseDoubleIsJavasOverTheCorpus) {
  const std::vector<std::string> texts = parse_corpus();
  expect_same(run_java("double-parse", lines_of(texts, hex_bytes)), texts, quoted,
              [](const std::string& text) {
                const std::optional<double> value = parse_java_double(text);
                return value ? fmt::format("{:x}", bits_of(*value)) : std::string("error");
              });
}

TEST(JavaNumberText, ParseFloatIsJavasOverTheCorpus) {
  const std::vector<std::string> texts = parse_corpus();
  expect_same(run_java("float-parse", lines_of(texts, hex_bytes)), texts, quoted,
              [](const std::string& text) {
                const std::optional<float> value = parse_java_float(text);
                return value ? fmt::format("{:x}", std::bit_cast<std::uint32_t>(*value))
                             : std::string("error");
              });
}

// The published differences from the shortest digits, spelled out.
TEST(JavaDoubleToString, KeepsJava17sDigitsWhereTheyAreNotTheShortest) {
  EXPECT_EQ(java_double_to_string(1e23), "9.999999999999999E22");
  EXPECT_EQ(java_double_to_string(2e23), "1.9999999999999998E23");
  EXPECT_EQ(java_double_to_string(5e22), "4.9999999999999996E22");
  EXPECT_EQ(java_double_to_string(8.41e21), "8.409999999999999E21");
  EXPECT_EQ(java_double_to_string(from_bits(0x438f67ea69ed3795)), "2.82879384806159008E17");
  EXPECT_EQ(java_double_to_string(from_bits(0x4376345785d8a001)), "1.00000000000000016E17");
  EXPECT_EQ(java_double_to_string(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(java_double_to_string(2 * std::numeric_limits<double>::denorm_min()), "1.0E-323");
  EXPECT_EQ(java_float_to_string(3.0e10F), "3.0000001E10");
  EXPECT_EQ(java_float_to_string(std::numeric_limits<float>::denorm_min()), "1.4E-45");
}

TEST(JavaDoubleToString, LaysOutPlainAndScientificNotationAsJava) {
  EXPECT_EQ(java_double_to_string(1.0), "1.0");
  EXPECT_EQ(java_double_to_string(-0.0), "-0.0");
  EXPECT_EQ(java_double_to_string(0.001), "0.001");
  EXPECT_EQ(java_double_to_string(9.999999999999998e-4), "9.999999999999998E-4");
  EXPECT_EQ(java_double_to_string(1234567.0), "1234567.0");
  EXPECT_EQ(java_double_to_string(1e7), "1.0E7");
  EXPECT_EQ(java_double_to_string(-1.5e-7), "-1.5E-7");
  EXPECT_EQ(java_double_to_string(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(java_double_to_string(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(java_double_to_string(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

// The fast path for [1e-7, 1e16) must print what the digit generation prints, for every double
// there: every power of two (where Java narrows its interval), and 450,000 others, random
// bits within the range and short decimals with their neighbours.
TEST(JavaDoubleToString, FastPathAgreesWithTheDigitGeneration) {
  std::mt19937_64 random(7);
  std::vector<double> values;
  for (int exponent = -24; exponent <= 53; ++exponent) values.push_back(std::ldexp(1.0, exponent));
  const std::uint64_t low = bits_of(1e-7);
  const std::uint64_t high = bits_of(1e16);
  for (int i = 0; i < 300'000; ++i) values.push_back(from_bits(low + random() % (high - low)));
  for (int i = 0; i < 50'000; ++i) {
    const double value = static_cast<double>(random() % 100'000'000) *
                         std::pow(10.0, static_cast<double>(random() % 24) - 15);
    values.push_back(value);
    values.push_back(std::nextafter(value, 0.0));
    values.push_back(std::nextafter(value, HUGE_VAL));
  }
  std::size_t differences = 0;
  std::size_t checked = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double value = i % 3 == 0 ? -values[i] : values[i];
    if (std::fabs(value) < 1e-7 || std::fabs(value) >= 1e16) continue;
    ++checked;
    std::string fast;
    std::string generated;
    append_java_double(fast, value);
    detail::append_java_double_generated(generated, value);
    if (fast != generated && ++differences <= 20) {
      ADD_FAILURE() << fmt::format("{:016x}", bits_of(value)) << ": fast " << fast << ", generated "
                    << generated;
    }
  }
  EXPECT_GT(checked, 400'000U);
  EXPECT_EQ(differences, 0U);
}

TEST(JavaParseDouble, AcceptsJavasGrammarOnly) {
  EXPECT_EQ(parse_java_double(" 1.5 "), 1.5);
  EXPECT_EQ(parse_java_double("\x01"
                              "1.5\x1f"),
            1.5);
  EXPECT_EQ(parse_java_double("1.5d"), 1.5);
  EXPECT_EQ(parse_java_double("1.5F"), 1.5);
  EXPECT_EQ(parse_java_double("0x1.8p1"), 3.0);
  EXPECT_EQ(parse_java_double("-0x1p3"), -8.0);
  EXPECT_EQ(parse_java_double("1e400"), HUGE_VAL);
  EXPECT_EQ(parse_java_double("-1e400"), -HUGE_VAL);
  EXPECT_EQ(parse_java_double("1e-400"), 0.0);
  EXPECT_TRUE(std::signbit(*parse_java_double("-1e-400")));
  EXPECT_TRUE(std::isnan(*parse_java_double("-NaN")));
  EXPECT_EQ(parse_java_double("-Infinity"), -HUGE_VAL);
  EXPECT_EQ(parse_java_float("3.4028236e38"), HUGE_VALF);
  for (const char* text : {"inf", "nan", "Infinityd", "+-1", "1e", ".", "0x1", "1,5", "1.5dd",
                           "\x7f"
                           "1",
                           ""}) {
    EXPECT_EQ(parse_java_double(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace kafkasink
