// libFuzzer target: select_expr's SQL subset, parsed (kafkasink::expr) and then bound and
// evaluated against a small frame (DataFrame::select_expr), on arbitrary text.
//
// An AnalysisError (syntax, unknown column, impossible cast) is an accepted outcome; anything
// else that escapes, or any sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace {

// Two rows with a value of every scalar type and one with nulls, the names the seed corpus
// uses.
const kafkasink::DataFrame& sample_frame() {
  using kafkasink::Bytes;
  using kafkasink::Field;
  using kafkasink::Row;
  static const kafkasink::DataFrame frame = kafkasink::DataFrame::from_rows(
      kafkasink::Schema({Field{"name", kafkasink::string_type(), true},
                         Field{"age", kafkasink::int_type(), true},
                         Field{"id", kafkasink::long_type(), true},
                         Field{"score", kafkasink::double_type(), true},
                         Field{"ok", kafkasink::boolean_type(), true},
                         Field{"payload", kafkasink::binary_type(), true}}),
      {Row{"Ann", 39, std::int64_t{7}, 1.5, true, Bytes{"x"}},
       Row{nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}});
  return frame;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string sql(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(kafkasink::expr(sql));
  } catch (const kafkasink::AnalysisError&) {
    return 0;  // not an expression: evaluation would fail the same way
  }
  try {
    const kafkasink::DataFrame result = sample_frame().select_expr({sql});
    static_cast<void>(result.collect());
    static_cast<void>(result.show_string(2, false));
  } catch (const kafkasink::Error&) {
    // An unknown column or an impossible cast: the documented outcome.
  }
  return 0;
}
