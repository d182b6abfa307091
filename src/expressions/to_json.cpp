#include "expressions/to_json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "frame/column_data.hpp"
#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerMilli = 1'000;

// What Jackson writes for each byte of a string: 0 for the byte itself, a letter for the
// two-character escapes, 'u' for \u00XX. DEL passes through, and so do bytes >= 0x80 (UTF-8),
// which are marked kNonAscii so that only such text is checked for malformed sequences.
constexpr char kNonAscii = 'x';
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (std::size_t c = 0; c < 0x20; ++c) table.at(c) = 'u';
  for (std::size_t c = 0x80; c < 0x100; ++c) table.at(c) = kNonAscii;
  table.at('\b') = 'b';
  table.at('\t') = 't';
  table.at('\n') = 'n';
  table.at('\f') = 'f';
  table.at('\r') = 'r';
  table.at('"') = '"';
  table.at('\\') = '\\';
  return table;
}();

constexpr std::string_view kHexDigits = "0123456789ABCDEF";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The raw buffers of one column view, read without a call per cell. `values` and `offsets`
// already point at row 0 of the view; validity bits are counted from `bit_offset`.
struct Cursor {
  const JsonPlan* plan = nullptr;
  TypeId kind = TypeId::kNull;
  const std::uint8_t* validity = nullptr;
  std::size_t bit_offset = 0;
  const void* values = nullptr;
  const std::int64_t* offsets = nullptr;
  const char* bytes = nullptr;
  std::vector<Cursor> children;

  bool is_null(std::size_t row) const noexcept {
    if (kind == TypeId::kNull) return true;
    if (validity == nullptr) return false;
    const std::size_t bit = bit_offset + row;
    return ((static_cast<unsigned>(validity[bit / 8]) >> (bit % 8)) & 1U) == 0;
  }

  template <typename T>
  T value(std::size_t row) const noexcept {
    return static_cast<const T*>(values)[row];
  }

  std::string_view bytes_at(std::size_t row) const noexcept {
    const auto begin = static_cast<std::size_t>(offsets[row]);
    const auto end = static_cast<std::size_t>(offsets[row + 1]);
    return {bytes + begin, end - begin};
  }
};

std::size_t value_width(TypeId kind) {
  switch (kind) {
    case TypeId::kBoolean:
    case TypeId::kByte:
      return 1;
    case TypeId::kShort:
      return 2;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kFloat:
      return 4;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kDouble:
      return 8;
    case TypeId::kDecimal:
      return sizeof(Int128);
    default:
      return 0;
  }
}

Cursor make_cursor(const JsonPlan& plan, const ColumnVector& column) {
  Cursor cursor;
  cursor.plan = &plan;
  cursor.kind = column.type().id();
  const ColumnVector::Data& data = *column.data();
  const std::size_t offset = column.offset();
  if (data.validity) cursor.validity = data.validity->data();
  cursor.bit_offset = offset;
  if (data.values != nullptr) {
    cursor.values = static_cast<const char*>(data.values) + offset * value_width(cursor.kind);
  }
  if (data.offsets) cursor.offsets = data.offsets->data() + offset;
  if (data.bytes) cursor.bytes = data.bytes->data();
  if (cursor.kind == TypeId::kStruct) {
    cursor.children.reserve(column.num_children());
    for (std::size_t index = 0; index < column.num_children(); ++index) {
      cursor.children.push_back(make_cursor(plan.children[index], column.child(index)));
    }
  } else if (cursor.kind == TypeId::kArray) {
    cursor.children.push_back(make_cursor(plan.children[0], column.elements()));
  }
  return cursor;
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

void append_base64(std::string& out, std::string_view data) {
  out.push_back('"');
  const auto byte = [&data](std::size_t index) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[index]));
  };
  std::size_t index = 0;
  for (; index + 3 <= data.size(); index += 3) {
    const std::uint32_t triple = byte(index) << 16 | byte(index + 1) << 8 | byte(index + 2);
    out.push_back(kBase64Alphabet[triple >> 18]);
    out.push_back(kBase64Alphabet[(triple >> 12) & 63U]);
    out.push_back(kBase64Alphabet[(triple >> 6) & 63U]);
    out.push_back(kBase64Alphabet[triple & 63U]);
  }
  const std::size_t rest = data.size() - index;
  if (rest > 0) {
    const std::uint32_t triple = byte(index) << 16 | (rest == 2 ? byte(index + 1) << 8 : 0U);
    out.push_back(kBase64Alphabet[triple >> 18]);
    out.push_back(kBase64Alphabet[(triple >> 12) & 63U]);
    out.push_back(rest == 2 ? kBase64Alphabet[(triple >> 6) & 63U] : '=');
    out.push_back('=');
  }
  out.push_back('"');
}

// Spark's JSON timestamp format, yyyy-MM-dd'T'HH:mm:ss.SSSXXX, in UTC (where XXX is `Z`):
// the whole second as a cast prints it, with the `T`, then the milliseconds rounded down.
void append_json_timestamp(std::string& out, std::int64_t micros) {
  std::int64_t seconds = micros / kMicrosPerSecond;
  std::int64_t fraction = micros % kMicrosPerSecond;
  if (fraction < 0) {
    fraction += kMicrosPerSecond;
    --seconds;
  }
  out.push_back('"');
  append_date_time(out, seconds, 'T');
  const auto millis = static_cast<unsigned>(fraction / kMicrosPerMilli);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out.append("Z\"");
}

void append_json_double(std::string& out, double value) {
  // Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default) writes NaN and the infinities as
  // strings, since JSON has no number for them.
  if (std::isfinite(value)) {
    append_java_double(out, value);
  } else {
    out.push_back('"');
    append_java_double(out, value);
    out.push_back('"');
  }
}

void append_json_float(std::string& out, float value) {
  if (std::isfinite(value)) {
    append_java_float(out, value);
  } else {
    out.push_back('"');
    append_java_float(out, value);
    out.push_back('"');
  }
}

// Spark's JSON date format, yyyy-MM-dd, quoted.
void append_json_date(std::string& out, std::int32_t days) {
  out.push_back('"');
  append_date(out, days);
  out.push_back('"');
}

void write_value(const Cursor& cursor, std::size_t row, std::string& out);

void write_struct(const Cursor& cursor, std::size_t row, std::string& out) {
  out.push_back('{');
  bool first = true;
  const std::vector<std::string>& prefixes = cursor.plan->prefixes;
  for (std::size_t index = 0; index < cursor.children.size(); ++index) {
    const Cursor& field = cursor.children[index];
    // Spark's to_json drops null fields (ignoreNullFields defaults to true).
    if (field.is_null(row)) continue;
    const std::string& prefix = prefixes[index];
    if (first) {
      out.append(prefix, 1);
      first = false;
    } else {
      out.append(prefix);
    }
    write_value(field, row, out);
  }
  out.push_back('}');
}

void write_value(const Cursor& cursor, std::size_t row, std::string& out) {
  switch (cursor.kind) {
    case TypeId::kNull:
      out.append("null");
      return;
    case TypeId::kBoolean:
      out.append(cursor.value<std::uint8_t>(row) != 0 ? "true" : "false");
      return;
    case TypeId::kByte:
      append_integer(out, cursor.value<std::int8_t>(row));
      return;
    case TypeId::kShort:
      append_integer(out, cursor.value<std::int16_t>(row));
      return;
    case TypeId::kInt:
      append_integer(out, cursor.value<std::int32_t>(row));
      return;
    case TypeId::kLong:
      append_integer(out, cursor.value<std::int64_t>(row));
      return;
    case TypeId::kFloat:
      append_json_float(out, cursor.value<float>(row));
      return;
    case TypeId::kDouble:
      append_json_double(out, cursor.value<double>(row));
      return;
    case TypeId::kDecimal:
      // Jackson's writeNumber(BigDecimal) writes BigDecimal.toString (WRITE_BIGDECIMAL_AS_PLAIN
      // is off): 1.50, 1.0E-7.
      append_decimal(out, cursor.value<Int128>(row), cursor.plan->scale);
      return;
    case TypeId::kDate:
      append_json_date(out, cursor.value<std::int32_t>(row));
      return;
    case TypeId::kString:
      append_json_string(out, cursor.bytes_at(row));
      return;
    case TypeId::kBinary:
      append_base64(out, cursor.bytes_at(row));
      return;
    case TypeId::kTimestamp:
      append_json_timestamp(out, cursor.value<std::int64_t>(row));
      return;
    case TypeId::kArray: {
      const Cursor& elements = cursor.children[0];
      const auto begin = static_cast<std::size_t>(cursor.offsets[row]);
      const auto end = static_cast<std::size_t>(cursor.offsets[row + 1]);
      out.push_back('[');
      for (std::size_t element = begin; element < end; ++element) {
        if (element != begin) out.push_back(',');
        if (elements.is_null(element)) {
          out.append("null");
        } else {
          write_value(elements, element, out);
        }
      }
      out.push_back(']');
      return;
    }
    case TypeId::kStruct:
      write_struct(cursor, row, out);
      return;
  }
}

// A guess at the output size of `rows` rows of a field, so that the byte buffer grows once.
std::size_t estimate_bytes(const Cursor& cursor, std::size_t rows) {
  switch (cursor.kind) {
    case TypeId::kNull:
      return 0;
    case TypeId::kBoolean:
      return rows * 5;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
      return rows * 6;
    case TypeId::kLong:
      return rows * 12;
    case TypeId::kFloat:
    case TypeId::kDate:
      return rows * 12;
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return rows * 20;
    case TypeId::kTimestamp:
      return rows * 26;
    case TypeId::kString:
    case TypeId::kBinary: {
      const auto bytes = static_cast<std::size_t>(cursor.offsets[rows] - cursor.offsets[0]);
      return (cursor.kind == TypeId::kBinary ? bytes / 3 * 4 + 4 * rows : bytes) + 2 * rows;
    }
    case TypeId::kArray:
    case TypeId::kStruct:
      return rows * 32;
  }
  return 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  bool non_ascii = false;
  out.push_back('"');
  const char* run = text.data();
  const char* const end = text.data() + text.size();
  for (const char* position = run; position != end; ++position) {
    const auto byte = static_cast<unsigned char>(*position);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-bounds-constant-array-index): a byte is < 256.
    const char escape = kEscapes[byte];
    if (escape == 0) continue;
    if (escape == kNonAscii) {
      non_ascii = true;
      continue;
    }
    out.append(run, static_cast<std::size_t>(position - run));
    out.push_back('\\');
    if (escape == 'u') {
      out.append("u00");
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 15U]);
    } else {
      out.push_back(escape);
    }
    run = position + 1;
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out.push_back('"');
  // Spark writes the Java String of the bytes (UTF8String.toString), where malformed UTF-8 is
  // U+FFFD; only text with a byte from 0x80 up needs the check.
  if (non_ascii && !is_valid_utf8(text)) {
    out.resize(start);
    append_json_string(out, replace_malformed_utf8(text));
  }
}

bool to_json_accepts(const DataType& type) {
  // Spark 3.5's StructsToJson takes a struct, an array or a map; JacksonUtils.verifyType then
  // accepts every type kafkasink has inside them.
  return type.id() == TypeId::kStruct || type.id() == TypeId::kArray;
}

std::shared_ptr<const JsonPlan> plan_json(const DataType& type) {
  auto plan = std::make_shared<JsonPlan>();
  plan->kind = type.id();
  if (type.id() == TypeId::kDecimal) plan->scale = type.scale();
  if (type.id() == TypeId::kStruct) {
    for (const Field& field : type.fields()) {
      std::string prefix = ",";
      append_json_string(prefix, field.name);
      prefix.push_back(':');
      plan->prefixes.push_back(std::move(prefix));
      plan->children.push_back(*plan_json(field.type));
    }
  } else if (type.id() == TypeId::kArray) {
    plan->children.push_back(*plan_json(type.element_type()));
  }
  return plan;
}

ColumnVector write_json(const JsonPlan& plan, const ColumnVector& column) {
  const Cursor cursor = make_cursor(plan, column);
  const std::size_t rows = column.size();
  ColumnBuilder builder(string_type());
  builder.reserve(rows, rows * 64);
  std::string& out = builder.byte_buffer();
  for (std::size_t row = 0; row < rows; ++row) {
    if (cursor.is_null(row)) {
      builder.append_null();
      continue;
    }
    write_value(cursor, row, out);
    builder.finish_bytes();
  }
  return builder.finish();
}

ColumnVector write_json_fields(const JsonPlan& plan,
                               const std::vector<ColumnVector>& fields,
                               std::size_t rows) {
  Cursor cursor;
  cursor.plan = &plan;
  cursor.kind = TypeId::kStruct;
  cursor.children.reserve(fields.size());
  std::size_t bytes = rows * 2;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    cursor.children.push_back(make_cursor(plan.children[index], fields[index]));
    bytes += rows * plan.prefixes[index].size() + estimate_bytes(cursor.children.back(), rows);
  }
  ColumnBuilder builder(string_type());
  builder.reserve(rows, bytes);
  std::string& out = builder.byte_buffer();
  for (std::size_t row = 0; row < rows; ++row) {
    write_struct(cursor, row, out);
    builder.finish_bytes();
  }
  return builder.finish();
}

}  // namespace kafkasink::detail
