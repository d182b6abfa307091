#include <algorithm>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/row.hpp>

#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

// Spark 3.5's show (ToPrettyString): arrays as [a, b], structs as {a, b}, binary as
// upper-case hex bytes, null as NULL at every level (3.4 and earlier printed null).
void append_value(std::string& out, const Value& value) {
  std::visit(
      [&out](const auto& item) {
        using Item = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<Item, std::monostate>) {
          out += "NULL";
        } else if constexpr (std::is_same_v<Item, bool>) {
          out += item ? "true" : "false";
        } else if constexpr (std::is_same_v<Item, std::int8_t> ||
                             std::is_same_v<Item, std::int16_t> ||
                             std::is_same_v<Item, std::int32_t> ||
                             std::is_same_v<Item, std::int64_t>) {
          out += std::to_string(item);
        } else if constexpr (std::is_same_v<Item, float>) {
          detail::append_java_float(out, item);
        } else if constexpr (std::is_same_v<Item, double>) {
          detail::append_java_double(out, item);
        } else if constexpr (std::is_same_v<Item, Decimal>) {
          out += item.to_plain_string();
        } else if constexpr (std::is_same_v<Item, Date>) {
          detail::append_date(out, item.days);
        } else if constexpr (std::is_same_v<Item, std::string>) {
          out += item;
        } else if constexpr (std::is_same_v<Item, Bytes>) {
          out += '[';
          for (std::size_t i = 0; i < item.data.size(); ++i) {
            if (i > 0) out += ' ';
            out += fmt::format("{:02X}", static_cast<unsigned char>(item.data[i]));
          }
          out += ']';
        } else if constexpr (std::is_same_v<Item, Timestamp>) {
          detail::append_timestamp(out, item.micros);
        } else if constexpr (std::is_same_v<Item, ArrayValue>) {
          out += '[';
          for (std::size_t i = 0; i < item.size(); ++i) {
            if (i > 0) out += ", ";
            append_value(out, item[i]);
          }
          out += ']';
        } else if constexpr (std::is_same_v<Item, StructValue>) {
          out += '{';
          for (std::size_t i = 0; i < item.fields.size(); ++i) {
            if (i > 0) out += ", ";
            append_value(out, item.fields[i]);
          }
          out += '}';
        }
      },
      value.variant());
}

}  // namespace

Decimal::Decimal(std::int64_t unscaled, int scale)
    : low_(static_cast<std::uint64_t>(unscaled)), high_(unscaled < 0 ? -1 : 0), scale_(scale) {}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  const std::optional<detail::DecimalText> number = detail::parse_decimal_text(text);
  if (!number || number->scale() > detail::kMaxDecimalPrecision) return std::nullopt;
  // A negative scale (1.5e3) is not a Spark decimal: the value is kept at scale 0, as a BD
  // literal is.
  const auto scale = static_cast<int>(std::max<std::int64_t>(number->scale(), 0));
  const std::optional<detail::Int128> unscaled =
      detail::rescale_text(*number, detail::kMaxDecimalPrecision, scale);
  if (!unscaled) return std::nullopt;
  return detail::make_decimal(*unscaled, scale);
}

Decimal Decimal::from_bits(std::int64_t high, std::uint64_t low, int scale) {
  Decimal value;
  value.high_ = high;
  value.low_ = low;
  value.scale_ = scale;
  return value;
}

int Decimal::precision() const {
  return detail::decimal_digits(detail::unscaled_of(*this));
}

std::string Decimal::to_string() const {
  std::string out;
  detail::append_decimal(out, detail::unscaled_of(*this), scale_);
  return out;
}

std::string Decimal::to_plain_string() const {
  std::string out;
  detail::append_plain_decimal(out, detail::unscaled_of(*this), scale_);
  return out;
}

std::string Value::to_string() const {
  std::string out;
  append_value(out, *this);
  return out;
}

Row::Row(std::shared_ptr<const Schema> schema, std::vector<Value> values)
    : schema_(std::move(schema)), values_(std::move(values)) {}

Row::Row(std::initializer_list<Value> values) : values_(values) {}

Row::Row(std::vector<Value> values) : values_(std::move(values)) {}

const Value& Row::operator[](std::string_view name) const {
  if (schema_) {
    if (const auto index = schema_->index_of(name); index && *index < values_.size()) {
      return values_[*index];
    }
  }
  throw AnalysisError(fmt::format("Row has no field named '{}'", name));
}

std::map<std::string, Value> Row::as_dict() const {
  std::map<std::string, Value> result;
  if (!schema_) return result;
  for (std::size_t index = 0; index < values_.size() && index < schema_->size(); ++index) {
    // as PySpark's asDict, a repeated name keeps its last value
    result[schema_->field(index).name] = values_[index];
  }
  return result;
}

std::string Row::to_string() const {
  std::string out = "Row(";
  for (std::size_t index = 0; index < values_.size(); ++index) {
    if (index > 0) out += ", ";
    if (schema_ && index < schema_->size()) {
      out += schema_->field(index).name;
      out += '=';
    }
    const Value& value = values_[index];
    if (value.is<std::string>()) {
      out += '\'';
      out += value.as<std::string>();
      out += '\'';
    } else {
      out += value.is_null() ? "None" : value.to_string();
    }
  }
  out += ')';
  return out;
}

}  // namespace kafkasink
