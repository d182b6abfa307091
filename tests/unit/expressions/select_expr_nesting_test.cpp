// select_expr on input from the select_expr fuzzer (fuzz/select_expr_fuzzer.cpp): nesting
// deep enough to overflow the stack of a recursive parser is a syntax error instead.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

namespace kafkasink {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

std::string repeated(const std::string& text, int times) {
  std::string result;
  for (int index = 0; index < times; ++index) result += text;
  return result;
}

TEST(SelectExprNesting, ReasonableNestingParses) {
  EXPECT_NO_THROW(expr(repeated("(", 200) + "a" + repeated(")", 200)));
  EXPECT_NO_THROW(expr(repeated("CAST(", 100) + "a" + repeated(" AS string)", 100)));
}

TEST(SelectExprNesting, DeepParenthesesAreASyntaxErrorNotAStackOverflow) {
  const std::string sql = repeated("(", 100'000) + "a" + repeated(")", 100'000);
  EXPECT_THAT([&] { expr(sql); },
              ThrowsMessage<AnalysisError>(
                  HasSubstr("at position 256: expression nested deeper than 256 levels")));
}

TEST(SelectExprNesting, DeepCastsAreASyntaxErrorNotAStackOverflow) {
  const std::string sql = repeated("cast(", 50'000) + "a" + repeated(" as int)", 50'000);
  EXPECT_THAT([&] { expr(sql); },
              ThrowsMessage<AnalysisError>(HasSubstr("expression nested deeper than 256 levels")));
}

TEST(SelectExprNesting, DeeplyNestedTypesAreASyntaxError) {
  const std::string sql =
      "CAST(a AS " + repeated("array<", 10'000) + "int" + repeated(">", 10'000) + ")";
  EXPECT_THAT([&] { expr(sql); },
              ThrowsMessage<AnalysisError>(HasSubstr("type nested deeper than 256 levels")));
}

}  // namespace
}  // namespace kafkasink
