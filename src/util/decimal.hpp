// Decimal arithmetic for Spark's DecimalType: 128-bit unscaled values of at most 38 digits.
//
// Spark holds a decimal as java.math.BigDecimal (or a long when it has at most 18 digits); every
// value a DecimalType column can hold fits a signed 128-bit integer, which is how kafkasink stores
// it. The functions here are the few BigDecimal operations Spark's CAST, readers and printers
// use: parsing BigDecimal's text grammar, rounding HALF_UP to a scale (Decimal.changePrecision),
// BigDecimal.toString, and conversions to and from the other numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/row.hpp>

namespace kafkasink::detail {

__extension__ using Int128 = __int128;            // NOLINT: the compiler's 128-bit integer
__extension__ using UInt128 = unsigned __int128;  // NOLINT: the compiler's 128-bit integer

inline constexpr int kMaxDecimalPrecision = 38;

/// 10^exponent, for 0 <= exponent <= 38.
Int128 power_of_ten(int exponent);

/// How many decimal digits |value| has (1 for 0), as BigDecimal's precision counts them.
int decimal_digits(Int128 value);

/// The 128-bit unscaled value of a Decimal, and a Decimal from one.
Int128 unscaled_of(const Decimal& value);
Decimal make_decimal(Int128 unscaled, int scale);

/// A number in java.math.BigDecimal's text grammar (`[+-]digits[.digits][e[+-]digits]`, with
/// digits on at least one side of the point): views of its integer and fraction digits, and the
/// exponent. Its value is (integer followed by fraction) * 10^(exponent - fraction digits).
struct DecimalText {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
  std::int64_t exponent = 0;

  /// BigDecimal's scale: digits after the point, minus the exponent.
  std::int64_t scale() const noexcept {
    return static_cast<std::int64_t>(fraction.size()) - exponent;
  }
  /// BigDecimal's precision: the digits of the unscaled value without leading zeros (1 for 0).
  std::int64_t precision() const noexcept;
};

/// Parses `text` exactly as `new BigDecimal(text)` does (no surrounding white space); nothing
/// for text that BigDecimal rejects.
std::optional<DecimalText> parse_decimal_text(std::string_view text);

/// The value of `number` as an unscaled integer at `scale`, rounded HALF_UP as Spark's
/// Decimal.changePrecision rounds; nothing when it has more than `precision` digits.
std::optional<Int128> rescale_text(const DecimalText& number, int precision, int scale);

/// `unscaled` (at `from_scale`) at `to_scale`, rounded HALF_UP; nothing when the result has more
/// than `precision` digits.
std::optional<Int128> rescale(Int128 unscaled, int from_scale, int precision, int to_scale);

/// Spark's CAST(string AS DECIMAL(p,s)): Java's String.trim, then BigDecimal's grammar, then
/// changePrecision; nothing (null) when the text is not a number or does not fit.
std::optional<Int128> parse_decimal(std::string_view text, int precision, int scale);

/// Appends BigDecimal.toString of `unscaled` at `scale`: `1.50`, `-12`, `0.000001`, and
/// scientific notation when the exponent is below -6 (`1.0E-7`, `0E-8`), as Spark's CAST to
/// string, show and to_json (through Jackson) write decimals.
void append_decimal(std::string& out, Int128 unscaled, int scale);

/// Appends BigDecimal.toPlainString (`0.00000010`, never an exponent), as Spark's show prints
/// decimals.
void append_plain_decimal(std::string& out, Int128 unscaled, int scale);

/// BigDecimal.doubleValue and floatValue: the nearest double or float.
double decimal_to_double(Int128 unscaled, int scale);
float decimal_to_float(Int128 unscaled, int scale);

/// BigDecimal.longValue: the integer part, truncated toward zero, in its low 64 bits (how
/// Spark's non-ANSI CAST of a decimal to an integral type overflows).
std::int64_t decimal_to_long(Int128 unscaled, int scale);

/// Spark's Decimal(double) then changePrecision: the double's Java text (Double.toString) read
/// as a BigDecimal; nothing for NaN, the infinities and values that do not fit.
std::optional<Int128> double_to_decimal(double value, int precision, int scale);

}  // namespace kafkasink::detail
