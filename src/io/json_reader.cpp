#include "io/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <kafkasink/errors.hpp>

#include "io/file_listing.hpp"
#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

using JsonValue = simdjson::dom::element;
using simdjson::dom::element_type;

// ---------------------------------------------------------------------------------------------
// Lines

/// A non-blank line of a file: its text without the line terminator, and its number.
struct Line {
  std::string_view text;
  std::size_t number = 0;
};

bool is_blank(std::string_view text) {
  return trim(text).empty();
}

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Spark's JSON reader skips blank lines; CRLF files read like LF files. Hadoop's line reader
// drops a byte-order mark that starts the file.
template <typename OnLine>
void for_each_line(std::string_view text, OnLine&& on_line) {
  std::size_t position = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  std::size_t number = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    std::string_view line = text.substr(position, end - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_blank(line)) on_line(Line{line, number});
    position = end + 1;
  }
}

// Appends the UTF-16 units of a JSON string as Spark stores them: Java's String.getBytes
// joins a high and a low surrogate and writes '?' for one without its partner. What JSON must
// escape is escaped, so that simdjson reads the same characters back.
void append_java_units(std::string& out, const std::vector<std::uint32_t>& units) {
  for (std::size_t index = 0; index < units.size(); ++index) {
    std::uint32_t code = units[index];
    const bool high = code >= 0xD800 && code <= 0xDBFF;
    if (high && index + 1 < units.size() && units[index + 1] >= 0xDC00 &&
        units[index + 1] <= 0xDFFF) {
      code = 0x10000 + ((code - 0xD800) << 10U) + (units[++index] - 0xDC00);
    } else if (code >= 0xD800 && code <= 0xDFFF) {
      out += '?';
      continue;
    }
    if (code < 0x20 || code == '"' || code == '\\') {
      out += fmt::format("\\u{:04X}", code);
    } else if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0U | (code >> 6U));
      out += static_cast<char>(0x80U | (code & 0x3FU));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0U | (code >> 12U));
      out += static_cast<char>(0x80U | ((code >> 6U) & 0x3FU));
      out += static_cast<char>(0x80U | (code & 0x3FU));
    } else {
      out += static_cast<char>(0xF0U | (code >> 18U));
      out += static_cast<char>(0x80U | ((code >> 12U) & 0x3FU));
      out += static_cast<char>(0x80U | ((code >> 6U) & 0x3FU));
      out += static_cast<char>(0x80U | (code & 0x3FU));
    }
  }
}

// Spark's Jackson (2.15) decodes UTF-8 itself and checks less than a validator: inside a
// string, any lead byte C0..F7 with enough continuation bytes is decoded by its bits, so
// overlong forms (C0 80 is U+0000), encoded surrogates and values beyond U+10FFFF become
// chars (a 4-byte value is split into two units without a range check, names adding where
// values OR). Anything else (a stray continuation byte, F8..FF, a sequence cut short, a byte
// from 0x80 outside a string) fails the record, as it fails simdjson's validation. Returns the
// line with such strings rewritten in valid UTF-8, or nothing when Jackson fails too.
std::optional<std::string> jackson_decoded(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 16);
  std::vector<char> containers;
  bool expect_key = false;
  std::vector<std::uint32_t> units;
  const auto byte_at = [line](std::size_t at) { return static_cast<unsigned char>(line[at]); };
  std::size_t at = 0;
  while (at < line.size()) {
    const unsigned char c = byte_at(at);
    if (c >= 0x80) return std::nullopt;
    out += static_cast<char>(c);
    ++at;
    if (c == '{' || c == '[') {
      containers.push_back(static_cast<char>(c));
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!containers.empty()) containers.pop_back();
    } else if (c == ',') {
      expect_key = !containers.empty() && containers.back() == '{';
    } else if (c == ':') {
      expect_key = false;
    }
    if (c != '"') continue;
    const bool key = expect_key;
    units.clear();
    while (at < line.size() && byte_at(at) != '"') {
      const unsigned char lead = byte_at(at);
      if (lead < 0x80) {
        append_java_units(out, units);
        units.clear();
        const std::size_t length = lead == '\\' ? 2 : 1;
        out.append(line.substr(at, length));
        at += length;
        continue;
      }
      std::size_t needed = 0;
      std::uint32_t value = 0;
      if ((lead & 0xE0U) == 0xC0U) {
        needed = 1;
        value = lead & 0x1FU;
      } else if ((lead & 0xF0U) == 0xE0U) {
        needed = 2;
        value = lead & 0x0FU;
      } else if ((lead & 0xF8U) == 0xF0U) {
        needed = 3;
        value = lead & 0x07U;
      } else {
        return std::nullopt;
      }
      if (at + needed >= line.size()) return std::nullopt;
      for (std::size_t index = 1; index <= needed; ++index) {
        const unsigned char next = byte_at(at + index);
        if ((next & 0xC0U) != 0x80U) return std::nullopt;
        value = (value << 6U) | (next & 0x3FU);
      }
      at += needed + 1;
      if (needed < 3) {
        units.push_back(value);
        continue;
      }
      const int offset = static_cast<int>(value) - 0x10000;
      const int high = key ? 0xD800 + (offset >> 10) : (0xD800 | (offset >> 10));
      units.push_back(static_cast<std::uint32_t>(high) & 0xFFFFU);
      units.push_back(0xDC00U | (static_cast<std::uint32_t>(offset) & 0x3FFU));
    }
    append_java_units(out, units);
    if (at < line.size()) {
      out += '"';
      ++at;
    }
  }
  return out;
}

/// The parser's explanation of a line that simdjson rejected. simdjson says only what kind of
/// error it met; nlohmann says where, so the (rare) error path asks it for the column.
std::string describe_syntax_error(std::string_view line, simdjson::error_code error) {
  try {
    [[maybe_unused]] const auto parsed = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& parse_error) {
    std::string message = parse_error.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> the part
    // after the tag, without the line (always 1: the text is one line).
    if (const std::size_t tag_end = message.find("] "); tag_end != std::string::npos) {
      message.erase(0, tag_end + 2);
    }
    if (const std::size_t at = message.find("at line 1, "); at != std::string::npos) {
      message.erase(at + 3, 8);
    }
    return message;
  } catch (const std::exception&) {
    // Fall through to simdjson's text.
  }
  return simdjson::error_message(error);
}

// The array or object behind a value of that kind, as a named value: iterating over
// `get_array().value_unsafe()` would iterate a reference into a destroyed temporary.
simdjson::dom::array array_of(const JsonValue& value) {
  simdjson::dom::array array;
  [[maybe_unused]] const auto error = value.get_array().get(array);
  return array;
}

simdjson::dom::object object_of(const JsonValue& value) {
  simdjson::dom::object object;
  [[maybe_unused]] const auto error = value.get_object().get(object);
  return object;
}

std::string_view kind_name(element_type type) {
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

/// Strings of the current document that stand for JSON integers beyond 64 bits (Jackson's
/// BIG_INTEGER), which simdjson cannot hold: the fallback below writes them as strings of their
/// digits and keeps where simdjson stored them.
struct BigIntegers {
  std::vector<const char*> strings;

  /// The digits of `value` when it is such an integer.
  std::optional<std::string_view> digits(const JsonValue& value) const {
    if (strings.empty() || value.type() != element_type::STRING) return std::nullopt;
    const std::string_view text = value.get_string().value_unsafe();
    if (std::find(strings.begin(), strings.end(), text.data()) == strings.end()) {
      return std::nullopt;
    }
    return text;
  }
};

// ---------------------------------------------------------------------------------------------
// Inference (Spark's JsonInferSchema.inferField and compatibleType)

struct InferredType {
  enum class Kind { kNull, kBoolean, kLong, kDecimal, kDouble, kString, kArray, kStruct };
  Kind kind = Kind::kNull;
  int precision = 0;  // kDecimal: the digits (the scale is 0: only integers infer as decimals)
  // A struct's fields in first-seen order, as two parallel vectors: a vector of pairs would
  // need InferredType complete where clang's libstdc++ checks instantiate it.
  std::vector<std::string> field_names;
  std::vector<InferredType> field_types;
  std::vector<InferredType> items;  // array: exactly one

  InferredType& field(std::string_view name) {
    for (std::size_t index = 0; index < field_names.size(); ++index) {
      if (field_names[index] == name) return field_types[index];
    }
    field_names.emplace_back(name);
    return field_types.emplace_back();
  }

  void become_string() {
    kind = Kind::kString;
    field_names.clear();
    field_types.clear();
    items.clear();
  }

  // Spark's compatibleType for a scalar: same type stays, bigint or decimal with double make
  // double, a bigint with a decimal a decimal wide enough for both (a bigint needs 20 digits),
  // anything else conflicting is a string.
  void merge_scalar(Kind other, int other_precision = 0) {
    const auto numeric = [](Kind value) {
      return value == Kind::kLong || value == Kind::kDecimal || value == Kind::kDouble;
    };
    const auto digits = [](Kind value, int value_precision) {
      return value == Kind::kLong ? 20 : value_precision;
    };
    if (kind == Kind::kNull || (kind == other && other != Kind::kDecimal)) {
      kind = other;
      precision = other_precision;
    } else if (numeric(kind) && numeric(other)) {
      if (kind == Kind::kDouble || other == Kind::kDouble) {
        kind = Kind::kDouble;
        precision = 0;
      } else {
        precision = std::max(digits(kind, precision), digits(other, other_precision));
        kind = Kind::kDecimal;
      }
    } else {
      become_string();
    }
  }

  void observe(const JsonValue& value, const BigIntegers& big) {
    if (kind == Kind::kString) return;
    if (const auto digits = big.digits(value)) {
      // Jackson's BIG_INTEGER: a decimal of its digits while they fit 38, else a double
      // (JsonInferSchema.inferField).
      const std::int64_t digit_count = parse_decimal_text(*digits)->precision();
      if (digit_count <= kMaxDecimalPrecision) {
        merge_scalar(Kind::kDecimal, static_cast<int>(digit_count));
      } else {
        merge_scalar(Kind::kDouble);
      }
      return;
    }
    switch (value.type()) {
      case element_type::NULL_VALUE:
        return;
      case element_type::BOOL:
        merge_scalar(Kind::kBoolean);
        return;
      case element_type::INT64:
        merge_scalar(Kind::kLong);  // Spark: every JSON integer that fits a bigint is bigint
        return;
      case element_type::UINT64:
        // Jackson's BIG_INTEGER, beyond a bigint: Spark makes it a decimal of its digits.
        merge_scalar(Kind::kDecimal,
                     decimal_digits(static_cast<Int128>(value.get_uint64().value_unsafe())));
        return;
      case element_type::DOUBLE:
        merge_scalar(Kind::kDouble);
        return;
      case element_type::STRING:
        merge_scalar(Kind::kString);
        return;
      case element_type::ARRAY:
        if (kind == Kind::kNull) {
          kind = Kind::kArray;
          items.emplace_back();
        }
        if (kind != Kind::kArray) {
          become_string();
          return;
        }
        for (const JsonValue item : array_of(value)) items.front().observe(item, big);
        return;
      case element_type::OBJECT:
        if (kind == Kind::kNull) kind = Kind::kStruct;
        if (kind != Kind::kStruct) {
          become_string();
          return;
        }
        for (const auto field_value : object_of(value)) {
          field(field_value.key).observe(field_value.value, big);
        }
        return;
    }
  }
};

// Spark's canonicalizeType: a type never seen with a value is a string; struct fields are
// sorted by name (Spark sorts every inferred struct); empty structs are dropped (SPARK-8093).
std::optional<DataType> canonical(const InferredType& type) {
  using Kind = InferredType::Kind;
  switch (type.kind) {
    case Kind::kNull:
    case Kind::kString:
      return string_type();
    case Kind::kBoolean:
      return boolean_type();
    case Kind::kLong:
      return long_type();
    case Kind::kDecimal:
      return decimal_type(type.precision, 0);
    case Kind::kDouble:
      return double_type();
    case Kind::kArray: {
      auto item_type = canonical(type.items.front());
      if (!item_type) return std::nullopt;
      return array_type(*item_type);
    }
    case Kind::kStruct: {
      std::vector<Field> fields;
      for (std::size_t index = 0; index < type.field_names.size(); ++index) {
        const std::string& name = type.field_names[index];
        const InferredType& field_type = type.field_types[index];
        if (name.empty()) continue;
        if (auto canonical_type = canonical(field_type)) {
          fields.push_back(Field{name, *canonical_type, true});
        }
      }
      if (fields.empty()) return std::nullopt;
      std::sort(fields.begin(), fields.end(),
                [](const Field& left, const Field& right) { return left.name < right.name; });
      return struct_type(std::move(fields));
    }
  }
  return string_type();
}

// ---------------------------------------------------------------------------------------------
// Conversion (Spark's JacksonParser.makeConverter)

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMaxTimestampSeconds =
    std::numeric_limits<std::int64_t>::max() / kMicrosPerSecond;

std::optional<double> special_double(std::string_view text) {
  // Jackson's allowNonNumericNumbers, on by default in Spark.
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity" || text == "+Infinity" || text == "+INF" || text == "INF") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-Infinity" || text == "-INF") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

/// A JSON number or string as a decimal of `type` (Spark: Decimal(getDecimalValue, p, s), or a
/// string read by BigDecimal), rounded HALF_UP; nothing when it is neither or does not fit.
std::optional<Int128> json_decimal(const JsonValue& value, const DataType& type) {
  const int precision = type.precision();
  const int scale = type.scale();
  switch (value.type()) {
    case element_type::INT64:
      return rescale(value.get_int64().value_unsafe(), 0, precision, scale);
    case element_type::UINT64:
      return rescale(static_cast<Int128>(value.get_uint64().value_unsafe()), 0, precision, scale);
    case element_type::DOUBLE:
      return double_to_decimal(value.get_double().value_unsafe(), precision, scale);
    case element_type::STRING: {
      const std::optional<DecimalText> number =
          parse_decimal_text(value.get_string().value_unsafe());
      if (!number) return std::nullopt;
      return rescale_text(*number, precision, scale);
    }
    default:
      return std::nullopt;
  }
}

/// A JSON string as a date: Spark's default date parser (stringToDate), or, as Spark 1.5 wrote
/// dates, a count of days.
std::optional<std::int32_t> json_date(const JsonValue& value) {
  if (value.type() != element_type::STRING) return std::nullopt;
  const std::string_view text = value.get_string().value_unsafe();
  if (const auto days = parse_date(text)) return days;
  std::int32_t days = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return days;
}

/// Whether `value`, not null, converts to `type`, which is no array or struct.
bool scalar_convertible(const JsonValue& value, const DataType& type, const BigIntegers& big) {
  const element_type kind = value.type();
  if (big.digits(value)) {
    // Jackson's getLongValue and the like fail beyond their type; getDoubleValue,
    // getDecimalValue and a copy as text take every digit.
    switch (type.id()) {
      case TypeId::kNull:
      case TypeId::kString:
      case TypeId::kBinary:
      case TypeId::kFloat:
      case TypeId::kDouble:
        return true;
      case TypeId::kDecimal:
        return json_decimal(value, type).has_value();
      default:
        return false;
    }
  }
  switch (type.id()) {
    case TypeId::kNull:
      return true;
    case TypeId::kString:
    case TypeId::kBinary:
      return true;  // anything reads as its JSON text
    case TypeId::kBoolean:
      return kind == element_type::BOOL;
    case TypeId::kInt: {
      if (kind != element_type::INT64) return false;
      const std::int64_t number = value.get_int64().value_unsafe();
      return number >= std::numeric_limits<std::int32_t>::min() &&
             number <= std::numeric_limits<std::int32_t>::max();
    }
    case TypeId::kLong:
      return kind == element_type::INT64;
    case TypeId::kByte:
    case TypeId::kShort: {
      // Jackson's getByteValue and getShortValue fail outside the type's range.
      if (kind != element_type::INT64) return false;
      const std::int64_t number = value.get_int64().value_unsafe();
      const std::int64_t limit = type.id() == TypeId::kByte ? 127 : 32767;
      return number >= -limit - 1 && number <= limit;
    }
    case TypeId::kDecimal:
      return json_decimal(value, type).has_value();
    case TypeId::kDate:
      return json_date(value).has_value();
    case TypeId::kFloat:
    case TypeId::kDouble:
      return kind == element_type::INT64 || kind == element_type::UINT64 ||
             kind == element_type::DOUBLE ||
             (kind == element_type::STRING &&
              special_double(value.get_string().value_unsafe()).has_value());
    case TypeId::kTimestamp: {
      if (kind == element_type::INT64) {
        // Seconds, stored as microseconds: beyond about 292,000 years either way they would
        // overflow (Spark's multiplication wraps around silently; here the value is malformed).
        const std::int64_t seconds = value.get_int64().value_unsafe();
        return seconds <= kMaxTimestampSeconds && seconds >= -kMaxTimestampSeconds;
      }
      return kind == element_type::STRING &&
             parse_timestamp(value.get_string().value_unsafe()).has_value();
    }
    case TypeId::kArray:
    case TypeId::kStruct:
      return false;
  }
  return false;
}

/// How `value` converts to `type`: whole; partly, a struct keeping the fields that convert
/// beside nulls (Spark 3.5's partial results, which an array keeps for its struct elements);
/// or not at all. Checked for the whole row before anything is appended, so that a row can
/// still be dropped or nulled.
enum class Fit { kWhole, kPartial, kNone };

Fit fit(const JsonValue& value, const DataType& type, const BigIntegers& big) {
  const element_type kind = value.type();
  if (kind == element_type::NULL_VALUE) return Fit::kWhole;
  if (type.id() == TypeId::kArray) {
    if (kind != element_type::ARRAY) return Fit::kNone;
    Fit result = Fit::kWhole;
    for (const JsonValue item : array_of(value)) {
      const Fit item_fit = fit(item, type.element_type(), big);
      if (item_fit == Fit::kNone) return Fit::kNone;
      if (item_fit == Fit::kPartial) result = Fit::kPartial;
    }
    return result;
  }
  if (type.id() == TypeId::kStruct) {
    if (kind != element_type::OBJECT) return Fit::kNone;
    const auto object = object_of(value);
    Fit result = Fit::kWhole;
    for (const Field& field : type.fields()) {
      JsonValue child;
      if (object.at_key(field.name).get(child) == simdjson::SUCCESS &&
          fit(child, field.type, big) != Fit::kWhole) {
        result = Fit::kPartial;
      }
    }
    return result;
  }
  return scalar_convertible(value, type, big) ? Fit::kWhole : Fit::kNone;
}

/// Appends `value`, which `fit` found to convert to the builder's type: `whole`, or partly,
/// when the fields of its structs that do not convert are null.
void append_value(ColumnBuilder& builder,
                  const JsonValue& value,
                  const BigIntegers& big,
                  bool whole = true) {
  const element_type kind = value.type();
  if (kind == element_type::NULL_VALUE) {
    builder.append_null();
    return;
  }
  const DataType& type = builder.type();
  if (const auto digits = big.digits(value)) {
    if (type.id() == TypeId::kFloat || type.id() == TypeId::kDouble) {
      // BigInteger.floatValue and doubleValue: the nearest float or double.
      const char* const end = digits->data() + digits->size();
      const bool negative = digits->front() == '-';
      if (type.id() == TypeId::kFloat) {
        float number = 0;
        if (std::from_chars(digits->data(), end, number).ec == std::errc::result_out_of_range) {
          number = negative ? -std::numeric_limits<float>::infinity()
                            : std::numeric_limits<float>::infinity();
        }
        builder.append_float(number);
      } else {
        double number = 0;
        if (std::from_chars(digits->data(), end, number).ec == std::errc::result_out_of_range) {
          number = negative ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
        }
        builder.append_double(number);
      }
      return;
    }
  }
  switch (type.id()) {
    case TypeId::kNull:
      builder.append_null();
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      if (kind == element_type::STRING) {
        builder.append_bytes(value.get_string().value_unsafe());
      } else {
        // Spark copies the value's JSON text (Jackson's copyCurrentStructure), minified.
        builder.append_bytes(simdjson::minify(value));
      }
      return;
    case TypeId::kBoolean:
      builder.append_boolean(value.get_bool().value_unsafe());
      return;
    case TypeId::kInt:
      builder.append_int(static_cast<std::int32_t>(value.get_int64().value_unsafe()));
      return;
    case TypeId::kLong:
      builder.append_long(value.get_int64().value_unsafe());
      return;
    case TypeId::kByte:
      builder.append_byte(static_cast<std::int8_t>(value.get_int64().value_unsafe()));
      return;
    case TypeId::kShort:
      builder.append_short(static_cast<std::int16_t>(value.get_int64().value_unsafe()));
      return;
    case TypeId::kDecimal:
      builder.append_decimal(make_decimal(*json_decimal(value, type), type.scale()));
      return;
    case TypeId::kDate:
      builder.append_int(*json_date(value));
      return;
    case TypeId::kFloat:
      // Jackson's getFloatValue: the double, narrowed.
      if (kind == element_type::STRING) {
        builder.append_float(
            static_cast<float>(*special_double(value.get_string().value_unsafe())));
      } else {
        builder.append_float(static_cast<float>(value.get_double().value_unsafe()));
      }
      return;
    case TypeId::kDouble:
      if (kind == element_type::STRING) {
        builder.append_double(*special_double(value.get_string().value_unsafe()));
      } else {
        builder.append_double(value.get_double().value_unsafe());
      }
      return;
    case TypeId::kTimestamp:
      // Spark reads a JSON integer as seconds since the epoch.
      builder.append_long(kind == element_type::INT64
                              ? value.get_int64().value_unsafe() * kMicrosPerSecond
                              : *parse_timestamp(value.get_string().value_unsafe()));
      return;
    case TypeId::kArray: {
      ColumnBuilder& elements = builder.element_builder();
      for (const JsonValue item : array_of(value)) append_value(elements, item, big, whole);
      builder.finish_array();
      return;
    }
    case TypeId::kStruct: {
      const auto object = object_of(value);
      const std::vector<Field>& fields = type.fields();
      for (std::size_t index = 0; index < fields.size(); ++index) {
        JsonValue child;
        if (object.at_key(fields[index].name).get(child) == simdjson::SUCCESS &&
            (whole || fit(child, fields[index].type, big) != Fit::kNone)) {
          append_value(builder.field_builder(index), child, big, whole);
        } else {
          builder.field_builder(index).append_null();
        }
      }
      builder.finish_struct();
      return;
    }
  }
}

std::string describe_value(const JsonValue& value) {
  std::string text = simdjson::minify(value);
  constexpr std::size_t kLongest = 60;
  if (text.size() > kLongest) text = text.substr(0, kLongest) + "...";
  return text;
}

// ---------------------------------------------------------------------------------------------
// Lines simdjson rejects, read as Spark's Jackson reads them

/// What Jackson and Spark's JacksonParser (spark.sql.json.enablePartialResults, on in 3.5) make
/// of a line: complete, a partial row (the fields read before and after a fault the object
/// survived, beside the corrupt record), or nothing.
enum class LineOutcome { kComplete, kPartial, kCorrupt };

/// The fallback for a line simdjson rejected: walks it token by token as Jackson 2.15's
/// UTF8StreamJsonParser does (strings decoded only when a converter reads them, a fault leaving
/// the parser just past the offending byte, a field's value token read with its name), and
/// converts it as JacksonParser.convertObject does: a fault inside a field's value nulls that
/// field and parsing goes on from there; a fault between fields ends the record. What survives
/// is written as a JSON text simdjson reads (integers beyond 64 bits as marked strings), for
/// the ordinary conversion.
class JacksonLine {
 public:
  /// Reads `text` for `schema`, or for inference (every field, any fault ends the record) when
  /// `schema` is null.
  JacksonLine(std::string_view text, const DataType* schema) : text_(text) {
    try {
      outcome_ = read_root(schema);
    } catch (const Fault&) {
      outcome_ = LineOutcome::kCorrupt;
    }
  }

  LineOutcome outcome() const noexcept { return outcome_; }
  /// The surviving object as JSON; meaningful unless the outcome is kCorrupt.
  const std::string& json() const noexcept { return out_; }
  /// Which strings of json() (counted in document order, field names excluded) are integers.
  const std::vector<std::size_t>& big_integer_strings() const noexcept { return big_strings_; }

 private:
  struct Fault {};  // Jackson threw: where the converters catch it decides the outcome
  enum class Token {
    kNone,
    kStartObject,
    kEndObject,
    kStartArray,
    kEndArray,
    kFieldName,
    kString,
    kInteger,
    kFloat,
    kTrue,
    kFalse,
    kNull
  };
  struct Context {
    bool object = false;
    int index = -1;
  };

  LineOutcome read_root(const DataType* schema) {
    if (next_token() != Token::kStartObject) return LineOutcome::kCorrupt;
    if (schema == nullptr) {
      copy_structure(false);
      return LineOutcome::kComplete;
    }
    return convert_object(*schema) ? LineOutcome::kComplete : LineOutcome::kPartial;
  }

  // ---- Jackson's tokens

  [[noreturn]] static void fault() { throw Fault{}; }

  int read_non_blank() {
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return static_cast<unsigned char>(c);
    }
    return -1;
  }

  int read_byte() {
    if (at_ >= text_.size()) fault();
    return static_cast<unsigned char>(text_[at_++]);
  }

  // The rest of a string after its opening quote, as _finishString2 and _skipString check it:
  // escapes, unescaped control characters and each UTF-8 sequence by its lead byte.
  void read_string_body() {
    incomplete_ = false;
    while (true) {
      const int c = read_byte();
      if (c == '"') return;
      if (c < 0x20) fault();
      if (c == '\\') {
        const int escaped = read_byte();
        if (escaped == 'u') {
          for (int digit = 0; digit < 4; ++digit) {
            if (std::isxdigit(read_byte()) == 0) fault();
          }
        } else if (std::string_view("\"\\/bfnrt").find(static_cast<char>(escaped)) ==
                   std::string_view::npos) {
          fault();
        }
        continue;
      }
      if (c < 0x80) continue;
      int needed = 0;
      if ((c & 0xE0) == 0xC0) {
        needed = 1;
      } else if ((c & 0xF0) == 0xE0) {
        needed = 2;
      } else if ((c & 0xF8) == 0xF0) {
        needed = 3;
      } else {
        fault();
      }
      for (int index = 0; index < needed; ++index) {
        if ((read_byte() & 0xC0) != 0x80) fault();
      }
    }
  }

  bool digit_at(std::size_t at) const {
    return at < text_.size() && text_[at] >= '0' && text_[at] <= '9';
  }

  // A value's first token; numbers and literals are read whole, as Jackson reads them.
  Token read_value_start(int c) {
    token_start_ = at_ - 1;
    switch (c) {
      case '"':
        incomplete_ = true;
        return Token::kString;
      case '[':
        return Token::kStartArray;
      case '{':
        return Token::kStartObject;
      case 't':
        return read_literal("true", Token::kTrue);
      case 'f':
        return read_literal("false", Token::kFalse);
      case 'n':
        return read_literal("null", Token::kNull);
      default:
        break;
    }
    if (c != '-' && (c < '0' || c > '9')) fault();  // NaN, 'text': not emulated
    if (c == '-') {
      if (!digit_at(at_)) fault();
      c = text_[at_++];
    }
    if (c == '0' && digit_at(at_)) fault();  // leading zeros
    while (digit_at(at_)) ++at_;
    bool integer = true;
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (!digit_at(at_)) fault();
      while (digit_at(at_)) ++at_;
      integer = false;
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
      if (!digit_at(at_)) fault();
      while (digit_at(at_)) ++at_;
      integer = false;
    }
    return integer ? Token::kInteger : Token::kFloat;
  }

  Token read_literal(std::string_view word, Token token) {
    if (text_.substr(at_ - 1, word.size()) != word) fault();
    at_ += word.size() - 1;
    if (at_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[at_])) != 0) fault();
    return token;
  }

  Token next_token() {
    if (current_ == Token::kFieldName) {
      current_ = pending_;
      pending_ = Token::kNone;
      if (current_ == Token::kStartObject || current_ == Token::kStartArray) {
        open_context();
      }
      return current_;
    }
    if (incomplete_) read_string_body();  // Jackson's _skipString
    int c = read_non_blank();
    if (c < 0) {
      if (!contexts_.empty()) fault();
      return current_ = Token::kNone;
    }
    if (c == '}' || c == ']') {
      if (contexts_.empty() || contexts_.back().object != (c == '}')) fault();
      contexts_.pop_back();
      return current_ = c == '}' ? Token::kEndObject : Token::kEndArray;
    }
    if (!contexts_.empty() && ++contexts_.back().index > 0) {
      if (c != ',') fault();
      c = read_non_blank();
      if (c < 0) fault();
    }
    if (contexts_.empty() || !contexts_.back().object) {
      current_ = read_value_start(c);
      if (current_ == Token::kStartObject || current_ == Token::kStartArray) {
        open_context();
      }
      return current_;
    }
    if (c != '"') fault();
    const std::size_t name_start = at_ - 1;
    read_string_body();
    name_ = text_.substr(name_start, at_ - name_start);
    current_ = Token::kFieldName;
    pending_ = Token::kNone;
    if (read_non_blank() != ':') fault();
    c = read_non_blank();
    if (c < 0) fault();
    pending_ = read_value_start(c);
    return current_;
  }

  // Jackson 2.15's StreamReadConstraints: at most 1,000 levels of nesting. It also bounds the
  // recursion of the converters below.
  void open_context() {
    constexpr std::size_t kMaxNesting = 1000;
    if (contexts_.size() >= kMaxNesting) fault();
    contexts_.push_back({current_ == Token::kStartObject, -1});
  }

  // JsonParser.skipChildren: past the end of the structure that starts at the current token.
  void skip_children() {
    if (current_ != Token::kStartObject && current_ != Token::kStartArray) return;
    for (int open = 1; open > 0;) {
      const Token token = next_token();
      if (token == Token::kStartObject || token == Token::kStartArray) ++open;
      if (token == Token::kEndObject || token == Token::kEndArray) --open;
    }
  }

  // ---- The surviving text

  // The current scalar token, finished; a string read whole (Jackson's getText). An integer
  // beyond 64 bits becomes a marked string, unless `as_text` (copied into a string's text).
  void write_scalar(bool as_text) {
    if (current_ == Token::kString && incomplete_) read_string_body();
    const std::string_view token = text_.substr(token_start_, at_ - token_start_);
    if (current_ == Token::kString) ++strings_;
    if (current_ == Token::kInteger && !as_text && beyond_long(token)) {
      out_ += '"';
      out_ += token;
      out_ += '"';
      big_strings_.push_back(strings_++);
      return;
    }
    out_ += token;
  }

  static bool beyond_long(std::string_view token) {
    std::int64_t value = 0;
    return std::from_chars(token.data(), token.data() + token.size(), value).ec != std::errc();
  }

  void write_separator(bool& first) {
    if (!first) out_ += ',';
    first = false;
  }

  // Jackson's copyCurrentStructure (and inference's inferField): every token, every string
  // decoded; a fault anywhere fails the whole value.
  void copy_structure(bool as_text) {
    if (current_ == Token::kFieldName) next_token();
    if (current_ != Token::kStartObject && current_ != Token::kStartArray) {
      write_scalar(as_text);
      return;
    }
    const bool object = current_ == Token::kStartObject;
    out_ += object ? '{' : '[';
    bool first = true;
    while (true) {
      const Token token = next_token();
      if (token == Token::kEndObject || token == Token::kEndArray) break;
      write_separator(first);
      if (object) {
        out_ += name_;
        out_ += ':';
      }
      copy_structure(as_text);
    }
    out_ += object ? '}' : ']';
  }

  // A structure read into a string column: its minified text (what simdjson::minify gives the
  // ordinary conversion), written as a JSON string so that integers beyond 64 bits keep their
  // digits.
  void copy_as_string() {
    const std::size_t mark = out_.size();
    const std::size_t marked_strings = strings_;
    copy_structure(true);
    const std::string copied = out_.substr(mark);
    out_.resize(mark);
    strings_ = marked_strings + 1;
    // No control character can be in it: Jackson refuses them raw in strings, and the blanks
    // between tokens are not copied.
    out_ += '"';
    for (const char c : copied) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }

  // One value by the converter of `type`; throws when Spark's converter throws. Returns false
  // for a partial struct (Spark's PartialResultException, kept by the struct or array around).
  bool convert(const DataType& type) {
    if (current_ == Token::kFieldName) next_token();
    if (current_ == Token::kNone || current_ == Token::kNull) {
      out_ += "null";
      return true;
    }
    const bool structure = current_ == Token::kStartObject || current_ == Token::kStartArray;
    switch (type.id()) {
      case TypeId::kStruct:
        if (current_ == Token::kStartObject) return convert_object(type);
        break;
      case TypeId::kArray:
        if (current_ == Token::kStartArray) return convert_array(type.element_type());
        break;
      case TypeId::kNull:
      case TypeId::kString:
      case TypeId::kBinary:
        if (structure) {
          copy_as_string();
        } else {
          write_scalar(false);
        }
        return true;
      default:
        // A token the converter takes; whether its value fits the type (a range, a date's
        // text) the ordinary conversion decides.
        if (takes(type.id(), current_)) {
          write_scalar(false);
          return true;
        }
        break;
    }
    // Spark's failedConversion, which reads a string whole for its message; a structure is
    // left to the catcher's skipChildren.
    if (current_ == Token::kString && incomplete_) read_string_body();
    fault();
  }

  static bool takes(TypeId type, Token token) {
    switch (type) {
      case TypeId::kBoolean:
        return token == Token::kTrue || token == Token::kFalse;
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInt:
      case TypeId::kLong:
        return token == Token::kInteger;
      case TypeId::kFloat:
      case TypeId::kDouble:
      case TypeId::kDecimal:
        return token == Token::kInteger || token == Token::kFloat || token == Token::kString;
      case TypeId::kTimestamp:
        return token == Token::kInteger || token == Token::kString;
      case TypeId::kDate:
        return token == Token::kString;
      default:
        return false;
    }
  }

  bool convert_object(const DataType& type) {
    out_ += '{';
    bool first = true;
    bool complete = true;
    while (true) {
      const Token token = next_token();
      if (token == Token::kEndObject || token == Token::kNone) break;
      const std::vector<Field>& fields = type.fields();
      const auto field = std::find_if(fields.begin(), fields.end(),
                                      [&](const Field& each) { return quoted(each.name); });
      if (field == fields.end()) {
        skip_children();
        continue;
      }
      const std::size_t mark = out_.size();
      const std::size_t marked_strings = strings_;
      const std::size_t marked_big = big_strings_.size();
      const bool was_first = first;
      write_separator(first);
      out_ += name_;
      out_ += ':';
      try {
        complete = convert(field->type) && complete;
      } catch (const Fault&) {
        // convertObject's catch: the field stays null, the record goes on from here.
        out_.resize(mark);
        strings_ = marked_strings;
        big_strings_.resize(marked_big);
        first = was_first;
        complete = false;
        skip_children();
      }
    }
    out_ += '}';
    return complete;
  }

  bool convert_array(const DataType& element) {
    out_ += '[';
    bool first = true;
    bool complete = true;
    while (true) {
      const Token token = next_token();
      if (token == Token::kEndArray || token == Token::kNone) break;
      write_separator(first);
      complete = convert(element) && complete;
    }
    out_ += ']';
    return complete;
  }

  // Whether the current field name (raw, with its quotes) is `name`: names with escapes or
  // multi-byte characters go through simdjson, which unescapes them.
  bool quoted(const std::string& name) const {
    if (name_.find('\\') == std::string_view::npos) {
      return name_.size() == name.size() + 2 && name_.substr(1, name.size()) == name;
    }
    simdjson::dom::parser parser;
    std::string_view key;
    return parser.parse(std::string(name_)).get_string().get(key) == simdjson::SUCCESS &&
           key == name;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::vector<Context> contexts_;
  Token current_ = Token::kNone;
  Token pending_ = Token::kNone;
  bool incomplete_ = false;
  std::size_t token_start_ = 0;
  std::string_view name_;
  std::string out_;
  std::size_t strings_ = 0;
  std::vector<std::size_t> big_strings_;
  LineOutcome outcome_ = LineOutcome::kCorrupt;
};

// ---------------------------------------------------------------------------------------------

class JsonRead {
 public:
  JsonRead(const JsonOptions& options, std::vector<FileContents> files)
      : options_(options), files_(std::move(files)) {}

  Schema infer() {
    InferredType root;
    root.kind = InferredType::Kind::kStruct;
    bool corrupt = false;
    for (const FileContents& file : files_) {
      for_each_line(file.bytes, [&](const Line& line) {
        JsonValue document;
        simdjson::error_code error = simdjson::SUCCESS;
        const LineOutcome outcome = parse(file, line, nullptr, document, error);
        if (outcome != LineOutcome::kComplete || document.type() != element_type::OBJECT) {
          if (options_.mode == ParseMode::kFailFast) fail(file, line, error, document);
          corrupt = corrupt || options_.mode == ParseMode::kPermissive;
          return;
        }
        root.observe(document, big_integers_);
      });
    }
    // Spark adds the corrupt-record column only when some line was malformed (PERMISSIVE).
    if (corrupt)
      root.field(options_.corrupt_record_column).merge_scalar(InferredType::Kind::kString);
    const auto type = canonical(root);
    return type ? Schema(type->fields()) : Schema();
  }

  DataFrame build(const Schema& schema, std::shared_ptr<SessionState> session) {
    std::unordered_map<std::string_view, std::size_t> column_of;
    for (std::size_t index = schema.size(); index-- > 0;) {
      column_of[schema.field(index).name] = index;  // the first of equal names wins
    }
    std::optional<std::size_t> corrupt_column;
    if (const auto index = schema.index_of(options_.corrupt_record_column);
        index && schema.field(*index).type.id() == TypeId::kString) {
      corrupt_column = index;
    }
    const DataType row_type = struct_type(schema.fields());
    std::vector<Partition> partitions;
    std::vector<JsonValue> slots(schema.size());
    std::vector<bool> present(schema.size());
    std::vector<bool> partial(schema.size());
    for (const FileContents& file : files_) {
      std::vector<ColumnBuilder> builders;
      for (const Field& field : schema.fields()) builders.emplace_back(field.type);
      std::size_t rows = 0;
      auto origin = std::make_shared<RowOrigin>();
      origin->files.push_back({file.path, 0});
      const auto append_corrupt = [&](std::string_view text) {
        for (std::size_t column = 0; column < builders.size(); ++column) {
          if (column == corrupt_column) {
            builders[column].append_bytes(text);
          } else {
            builders[column].append_null();
          }
        }
        ++rows;
      };
      for_each_line(file.bytes, [&](const Line& line) {
        JsonValue document;
        simdjson::error_code error = simdjson::SUCCESS;
        const LineOutcome outcome = parse(file, line, &row_type, document, error);
        if (outcome == LineOutcome::kCorrupt || document.type() != element_type::OBJECT) {
          if (options_.mode == ParseMode::kFailFast) fail(file, line, error, document);
          if (options_.mode == ParseMode::kPermissive) {
            append_corrupt(line.text);
            origin->lines.push_back(line.number);
          }
          return;
        }
        // A partial row is Spark's BadRecordException with its partial result: FAILFAST fails,
        // DROPMALFORMED drops it, PERMISSIVE keeps what was read beside the corrupt record.
        bool malformed = outcome == LineOutcome::kPartial;
        if (malformed && options_.mode == ParseMode::kFailFast) {
          fail(file, line, error, document);
        }
        if (malformed && options_.mode == ParseMode::kDropMalformed) return;
        std::fill(present.begin(), present.end(), false);
        for (const auto field : object_of(document)) {
          const auto found = column_of.find(field.key);
          if (found == column_of.end() || found->second == corrupt_column) continue;
          slots[found->second] = field.value;
          present[found->second] = true;
        }
        for (std::size_t column = 0; column < schema.size(); ++column) {
          if (!present[column]) continue;
          const Fit column_fit = fit(slots[column], schema.field(column).type, big_integers_);
          if (column_fit == Fit::kWhole) continue;
          if (options_.mode == ParseMode::kFailFast) {
            throw ParseError(
                fmt::format("Malformed JSON in {} at line {}, column '{}': cannot convert {} to {}",
                            file.path, line.number, schema.field(column).name,
                            describe_value(slots[column]), schema.field(column).type.to_string()));
          }
          if (options_.mode == ParseMode::kDropMalformed) return;
          // PERMISSIVE: this field reads as null, or as the struct's fields that convert.
          present[column] = column_fit == Fit::kPartial;
          partial[column] = column_fit == Fit::kPartial;
          malformed = true;
        }
        for (std::size_t column = 0; column < schema.size(); ++column) {
          if (present[column]) {
            append_value(builders[column], slots[column], big_integers_, !partial[column]);
            partial[column] = false;
          } else if (column == corrupt_column && malformed) {
            builders[column].append_bytes(line.text);
          } else {
            builders[column].append_null();
          }
        }
        origin->lines.push_back(line.number);
        ++rows;
      });
      Partition partition;
      partition.num_rows = rows;
      partition.origin = std::move(origin);
      for (ColumnBuilder& builder : builders) partition.columns.push_back(builder.finish());
      partitions.push_back(std::move(partition));
    }
    return {schema, std::move(partitions), std::move(session)};
  }

 private:
  // Parses a line into `document`. A line simdjson rejects (`error` says why) is read again as
  // Jackson reads it, for `row_type` (null: for inference).
  LineOutcome parse(const FileContents& file,
                    const Line& line,
                    const DataType* row_type,
                    JsonValue& document,
                    simdjson::error_code& error) {
    big_integers_.strings.clear();
    // Jackson skips a byte-order mark at the start of each line it parses.
    std::string_view text = line.text;
    if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
    // The file buffer carries SIMDJSON_PADDING readable bytes past its end, so every line
    // can be parsed in place, without a copy.
    const std::size_t readable =
        file.bytes.capacity() - static_cast<std::size_t>(text.data() - file.bytes.data());
    const bool padded = readable >= text.size() + simdjson::SIMDJSON_PADDING;
    error = parser_.parse(text.data(), text.size(), !padded).get(document);
    if (error == simdjson::UTF8_ERROR) error = parse_decoded(text, document);
    if (error == simdjson::SUCCESS) return LineOutcome::kComplete;
    const JacksonLine jackson(text, row_type);
    if (jackson.outcome() == LineOutcome::kCorrupt ||
        parse_decoded(jackson.json(), document) != simdjson::SUCCESS) {
      return LineOutcome::kCorrupt;
    }
    std::size_t strings = 0;
    collect_big_integers(document, jackson.big_integer_strings(), strings);
    return jackson.outcome();
  }

  // simdjson's parse of `text`, or of its strings decoded as Jackson decodes UTF-8.
  simdjson::error_code parse_decoded(std::string_view text, JsonValue& document) {
    simdjson::error_code error = parser_.parse(text.data(), text.size()).get(document);
    if (error != simdjson::UTF8_ERROR) return error;
    const std::optional<std::string> decoded = jackson_decoded(text);
    return decoded ? parser_.parse(*decoded).get(document) : error;
  }

  // Where simdjson stored the strings JacksonLine wrote for big integers, counting string
  // values in document order as JacksonLine wrote them.
  void collect_big_integers(const JsonValue& value,
                            const std::vector<std::size_t>& ordinals,
                            std::size_t& strings) {
    switch (value.type()) {
      case element_type::STRING:
        if (std::binary_search(ordinals.begin(), ordinals.end(), strings)) {
          big_integers_.strings.push_back(value.get_string().value_unsafe().data());
        }
        ++strings;
        return;
      case element_type::ARRAY:
        for (const JsonValue item : array_of(value)) collect_big_integers(item, ordinals, strings);
        return;
      case element_type::OBJECT:
        for (const auto field : object_of(value)) {
          collect_big_integers(field.value, ordinals, strings);
        }
        return;
      default:
        return;
    }
  }

  [[noreturn]] static void fail(const FileContents& file,
                                const Line& line,
                                simdjson::error_code error,
                                const JsonValue& document) {
    const std::string reason =
        error != simdjson::SUCCESS
            ? describe_syntax_error(line.text, error)
            : fmt::format("expected an object, found {}", kind_name(document.type()));
    throw ParseError(
        fmt::format("Malformed JSON in {} at line {}: {}", file.path, line.number, reason));
  }

  const JsonOptions& options_;
  std::vector<FileContents> files_;
  simdjson::dom::parser parser_;
  BigIntegers big_integers_;
};

}  // namespace

DataFrame read_json(const std::vector<std::string>& files,
                    const JsonOptions& options,
                    const std::optional<Schema>& schema,
                    std::shared_ptr<SessionState> session) {
  if (files.empty() && !schema) {
    throw AnalysisError("Unable to infer schema for JSON. It must be specified manually.");
  }
  std::vector<FileContents> contents;
  contents.reserve(files.size());
  for (const std::string& path : files) {
    contents.push_back(FileContents{path, read_whole_file(path, simdjson::SIMDJSON_PADDING)});
  }
  return read_json_contents(std::move(contents), options, schema, std::move(session));
}

DataFrame read_json_contents(std::vector<FileContents> inputs,
                             const JsonOptions& options,
                             const std::optional<Schema>& schema,
                             std::shared_ptr<SessionState> session) {
  if (inputs.empty() && !schema) {
    throw AnalysisError("Unable to infer schema for JSON. It must be specified manually.");
  }
  JsonRead read(options, std::move(inputs));
  const Schema final_schema = schema ? *schema : read.infer();
  return read.build(final_schema, std::move(session));
}

}  // namespace kafkasink::detail
