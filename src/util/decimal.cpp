#include "util/decimal.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::array<Int128, kMaxDecimalPrecision + 1> kPowersOfTen = [] {
  std::array<Int128, kMaxDecimalPrecision + 1> powers{};
  powers[0] = 1;
  for (std::size_t index = 1; index < powers.size(); ++index)
    powers[index] = powers[index - 1] * 10;
  return powers;
}();

UInt128 magnitude(Int128 value) {
  return value < 0 ? UInt128{0} - static_cast<UInt128>(value) : static_cast<UInt128>(value);
}

// The decimal digits of |value|, most significant first.
std::string digits_of(Int128 value) {
  UInt128 rest = magnitude(value);
  std::array<char, 40> buffer{};
  std::size_t start = buffer.size();
  do {
    buffer.at(--start) = static_cast<char>('0' + static_cast<int>(rest % 10));
    rest /= 10;
  } while (rest != 0);
  return {buffer.data() + start, buffer.size() - start};
}

// The significant digits of a parsed number as one sequence (integer part then fraction), with
// the leading zeros skipped.
class SignificantDigits {
 public:
  explicit SignificantDigits(const DecimalText& number)
      : integer_(number.integer), fraction_(number.fraction) {
    while (!integer_.empty() && integer_.front() == '0') integer_.remove_prefix(1);
    if (integer_.empty()) {
      while (!fraction_.empty() && fraction_.front() == '0') fraction_.remove_prefix(1);
    }
  }

  std::size_t size() const noexcept { return integer_.size() + fraction_.size(); }

  int operator[](std::size_t index) const noexcept {
    const char c = index < integer_.size() ? integer_[index] : fraction_[index - integer_.size()];
    return c - '0';
  }

 private:
  std::string_view integer_;
  std::string_view fraction_;
};

}  // namespace

Int128 power_of_ten(int exponent) {
  return kPowersOfTen.at(static_cast<std::size_t>(exponent));
}

int decimal_digits(Int128 value) {
  const UInt128 rest = magnitude(value);
  int digits = 1;
  while (digits <= kMaxDecimalPrecision &&
         rest >= static_cast<UInt128>(kPowersOfTen.at(static_cast<std::size_t>(digits)))) {
    ++digits;
  }
  return digits;
}

Int128 unscaled_of(const Decimal& value) {
  return static_cast<Int128>(
      (static_cast<UInt128>(static_cast<std::uint64_t>(value.high_bits())) << 64U) |
      value.low_bits());
}

Decimal make_decimal(Int128 unscaled, int scale) {
  const auto bits = static_cast<UInt128>(unscaled);
  return Decimal::from_bits(static_cast<std::int64_t>(static_cast<std::uint64_t>(bits >> 64U)),
                            static_cast<std::uint64_t>(bits), scale);
}

std::int64_t DecimalText::precision() const noexcept {
  const std::size_t digits = SignificantDigits(*this).size();
  return digits == 0 ? 1 : static_cast<std::int64_t>(digits);
}

std::optional<DecimalText> parse_decimal_text(std::string_view text) {
  DecimalText number;
  std::size_t position = 0;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    number.negative = text[position] == '-';
    ++position;
  }
  const auto digits_from = [&text](std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    return end;
  };
  std::size_t end = digits_from(position);
  number.integer = text.substr(position, end - position);
  position = end;
  if (position < text.size() && text[position] == '.') {
    end = digits_from(++position);
    number.fraction = text.substr(position, end - position);
    position = end;
  }
  if (number.integer.empty() && number.fraction.empty()) return std::nullopt;
  if (position < text.size() && (text[position] == 'e' || text[position] == 'E')) {
    ++position;
    bool negative_exponent = false;
    if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
      negative_exponent = text[position] == '-';
      ++position;
    }
    end = digits_from(position);
    // BigDecimal's exponent is an int; ten digits also keep the sum below overflow.
    if (end == position || end - position > 10) return std::nullopt;
    std::int64_t exponent = 0;
    for (; position < end; ++position) exponent = exponent * 10 + (text[position] - '0');
    number.exponent = negative_exponent ? -exponent : exponent;
  }
  if (position != text.size()) return std::nullopt;
  return number;
}

std::optional<Int128> rescale_text(const DecimalText& number, int precision, int scale) {
  const SignificantDigits digits(number);
  const auto count = static_cast<std::int64_t>(digits.size());
  // The value is digits * 10^-number.scale(); wanted: digits * 10^shift, rounded.
  const std::int64_t shift = scale - number.scale();
  const std::int64_t kept = count + shift;
  if (kept > precision) {
    if (count == 0) return Int128{0};
    return std::nullopt;
  }
  Int128 value = 0;
  const std::int64_t taken = std::min(count, std::max<std::int64_t>(kept, 0));
  for (std::int64_t index = 0; index < taken; ++index) {
    value = value * 10 + digits[static_cast<std::size_t>(index)];
  }
  if (shift >= 0) {
    value *= power_of_ten(static_cast<int>(shift));
  } else if (kept >= 0 && kept < count && digits[static_cast<std::size_t>(kept)] >= 5) {
    ++value;  // HALF_UP: the first dropped digit decides
    if (decimal_digits(value) > precision) return std::nullopt;
  }
  return number.negative ? -value : value;
}

std::optional<Int128> rescale(Int128 unscaled, int from_scale, int precision, int to_scale) {
  Int128 value = unscaled;
  if (to_scale >= from_scale) {
    const int shift = to_scale - from_scale;
    if (value != 0 && decimal_digits(value) + shift > precision) return std::nullopt;
    value *= power_of_ten(shift);
  } else {
    const Int128 divisor = power_of_ten(from_scale - to_scale);
    const Int128 remainder = value % divisor;
    value /= divisor;
    if (magnitude(remainder) * 2 >= static_cast<UInt128>(divisor)) value += unscaled < 0 ? -1 : 1;
  }
  if (decimal_digits(value) > precision) return std::nullopt;
  return value;
}

std::optional<Int128> parse_decimal(std::string_view text, int precision, int scale) {
  const std::optional<DecimalText> number = parse_decimal_text(java_trim(text));
  if (!number) return std::nullopt;
  return rescale_text(*number, precision, scale);
}

namespace {

void append_plain_digits(std::string& out, const std::string& coefficient, int scale) {
  const auto length = static_cast<int>(coefficient.size());
  if (scale == 0) {
    out += coefficient;
  } else if (length > scale) {
    out.append(coefficient, 0, static_cast<std::size_t>(length - scale));
    out.push_back('.');
    out.append(coefficient, static_cast<std::size_t>(length - scale));
  } else {
    out += "0.";
    out.append(static_cast<std::size_t>(scale - length), '0');
    out += coefficient;
  }
}

}  // namespace

void append_plain_decimal(std::string& out, Int128 unscaled, int scale) {
  if (unscaled < 0) out.push_back('-');
  append_plain_digits(out, digits_of(unscaled), scale);
}

void append_decimal(std::string& out, Int128 unscaled, int scale) {
  const std::string coefficient = digits_of(unscaled);
  if (unscaled < 0) out.push_back('-');
  const auto length = static_cast<int>(coefficient.size());
  const int adjusted = length - 1 - scale;
  if (scale == 0 || adjusted >= -6) {
    append_plain_digits(out, coefficient, scale);
  } else {
    out.push_back(coefficient.front());
    if (length > 1) {
      out.push_back('.');
      out.append(coefficient, 1);
    }
    out.push_back('E');
    out += std::to_string(adjusted);
  }
}

namespace {

template <typename Number>
Number decimal_to_binary(Int128 unscaled, int scale) {
  std::string text;
  if (unscaled < 0) text.push_back('-');
  text += digits_of(unscaled);
  text += 'e';
  text += std::to_string(-scale);
  Number value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

double decimal_to_double(Int128 unscaled, int scale) {
  return decimal_to_binary<double>(unscaled, scale);
}

float decimal_to_float(Int128 unscaled, int scale) {
  return decimal_to_binary<float>(unscaled, scale);
}

std::int64_t decimal_to_long(Int128 unscaled, int scale) {
  const Int128 integral = unscaled / power_of_ten(scale);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<UInt128>(integral)));
}

std::optional<Int128> double_to_decimal(double value, int precision, int scale) {
  if (!std::isfinite(value)) return std::nullopt;
  const std::string text = java_double_to_string(value);
  const std::optional<DecimalText> number = parse_decimal_text(text);
  if (!number) return std::nullopt;
  return rescale_text(*number, precision, scale);
}

}  // namespace kafkasink::detail
