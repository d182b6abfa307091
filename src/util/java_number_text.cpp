#include "util/java_number_text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <system_error>
#include <type_traits>

// The digit generation below follows Java 17's FloatingDecimal.BinaryToASCIIBuffer.dtoa step by
// step, including its quirks, because its quirks are the point: which of its three arithmetic
// paths runs (32-bit, 64-bit or big integers) decides the last digit, since the paths do not test
// the same way (`>` in the first two, `>=` in the third), the 32- and 64-bit paths wrap on
// overflow as Java's int and long do, and integers below 2^63 keep digits a shortest algorithm
// would drop. The first-digit estimate is floating-point arithmetic too; this file is compiled
// without FMA contraction so that it rounds as Java's does.

namespace kafkasink::detail {

namespace {

constexpr int kExpShift = 52;  // bits of a double's significand below its hidden bit
constexpr std::uint64_t kFractHob = std::uint64_t{1} << kExpShift;
constexpr std::uint64_t kSignificandMask = kFractHob - 1;
constexpr int kExpBias = 1023;
constexpr int kMaxSmallBinExp = 62;
constexpr int kMinSmallBinExp = -(63 / 3);

// ceil(log2(5^i)), roughly, as Java's N_5_BITS: it picks the arithmetic, so it must be Java's.
constexpr std::array<int, 27> kFiveBits = {0,  3,  5,  7,  10, 12, 14, 17, 19, 21, 24, 26, 28, 31,
                                           33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61};

// insignificantDigits(1L << i): how many low decimal digits of an integer below 2^63 with i bits
// beyond the significand's precision carry no information.
constexpr std::array<int, 64> kInsignificantDigitsForPow2 = {
    0,  0,  0,  0,  1,  1,  1,  2,  2,  2,  3,  3,  3,  3,  4,  4,  4,  5,  5,  5,  6,  6,
    6,  6,  7,  7,  7,  8,  8,  8,  9,  9,  9,  9,  10, 10, 10, 11, 11, 11, 12, 12, 12, 12,
    13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19};

constexpr std::array<std::uint64_t, 27> make_powers_of_five() {
  std::array<std::uint64_t, 27> powers{};
  powers[0] = 1;
  for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 5;
  return powers;
}

constexpr std::array<std::uint64_t, 27> kPowersOfFive = make_powers_of_five();

// Java's int and long arithmetic: two's complement, wrapping on overflow.
template <typename Int>
Int wrapping_mul(Int left, Int right) {
  using Unsigned = std::make_unsigned_t<Int>;
  return static_cast<Int>(static_cast<Unsigned>(left) * static_cast<Unsigned>(right));
}

template <typename Int>
Int wrapping_add(Int left, Int right) {
  using Unsigned = std::make_unsigned_t<Int>;
  return static_cast<Int>(static_cast<Unsigned>(left) + static_cast<Unsigned>(right));
}

template <typename Int>
Int wrapping_sub(Int left, Int right) {
  using Unsigned = std::make_unsigned_t<Int>;
  return static_cast<Int>(static_cast<Unsigned>(left) - static_cast<Unsigned>(right));
}

template <typename Int>
Int wrapping_shl(Int value, int shift) {
  using Unsigned = std::make_unsigned_t<Int>;
  return static_cast<Int>(static_cast<Unsigned>(value) << shift);
}

// A non-negative integer of up to 1,280 bits: enough for the largest value the digit loop
// builds (about 2^800, for the smallest doubles). Its words are not cleared on construction
// (see words_).
class BigInteger {  // NOLINT(cppcoreguidelines-pro-type-member-init)
 public:
  // value * 5^p5 * 2^p2
  static BigInteger of(std::uint64_t value, int p5, int p2) {
    BigInteger result;
    result.set(value);
    constexpr std::uint32_t kFiveTo13 = 1'220'703'125;
    for (; p5 >= 13; p5 -= 13) result.multiply(kFiveTo13);
    if (p5 > 0)
      result.multiply(static_cast<std::uint32_t>(kPowersOfFive[static_cast<std::size_t>(p5)]));
    result.shift_left(p2);
    return result;
  }

  void set(std::uint64_t value) {
    words_[0] = static_cast<std::uint32_t>(value);
    words_[1] = static_cast<std::uint32_t>(value >> 32);
    size_ = words_[1] != 0 ? 2 : (words_[0] != 0 ? 1 : 0);
  }

  void multiply(std::uint32_t factor) {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t product = std::uint64_t{words_[i]} * factor + carry;
      words_[i] = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0) words_[size_++] = static_cast<std::uint32_t>(carry);
  }

  void shift_left(int bits) {
    if (size_ == 0 || bits == 0) return;
    const auto word_shift = static_cast<std::size_t>(bits / 32);
    const int bit_shift = bits % 32;
    std::size_t new_size = size_ + word_shift;
    words_[new_size] = 0;
    for (std::size_t i = size_; i-- > 0;) {
      const std::uint64_t wide = std::uint64_t{words_[i]} << bit_shift;
      words_[i + word_shift + 1] |= static_cast<std::uint32_t>(wide >> 32);
      words_[i + word_shift] = static_cast<std::uint32_t>(wide);
    }
    std::fill_n(words_.begin(), word_shift, 0U);
    ++new_size;
    while (new_size > 0 && words_[new_size - 1] == 0) --new_size;
    size_ = new_size;
  }

  // this = 10 * (this % divisor); returns this / divisor (Java's quoRemIteration, which is
  // exact: its estimate of the quotient is corrected before it returns).
  int quotient_remainder_times_ten(const BigInteger& divisor) {
    std::uint64_t quotient = 0;
    const int length = bit_length();
    if (length < divisor.bit_length()) {
      // this < divisor: the quotient is 0.
    } else if (length <= 64) {
      const std::uint64_t value = bits_from(0);
      const std::uint64_t divisor_value = divisor.bits_from(0);
      quotient = value / divisor_value;
      set(value % divisor_value);
    } else {
      // An estimate from the leading 64 bits that is never too high (the divisor's are rounded
      // up), at most one short when the quotient is a digit; then the subtractions left.
      const int shift = length - 64;
      const std::uint64_t estimate = bits_from(shift) / (divisor.bits_from(shift) + 1);
      quotient = std::min<std::uint64_t>(estimate, std::numeric_limits<std::uint32_t>::max());
      if (quotient > 0) subtract_multiple(divisor, static_cast<std::uint32_t>(quotient));
      while (compare(*this, divisor) >= 0) {
        subtract_multiple(divisor, 1);
        ++quotient;
      }
    }
    multiply(10);
    return static_cast<int>(quotient);
  }

  static int compare(const BigInteger& left, const BigInteger& right) {
    if (left.size_ != right.size_) return left.size_ < right.size_ ? -1 : 1;
    for (std::size_t i = left.size_; i-- > 0;) {
      if (left.words_[i] != right.words_[i]) return left.words_[i] < right.words_[i] ? -1 : 1;
    }
    return 0;
  }

  // The sign of left + right - other, without building the sum.
  static int compare_sum(const BigInteger& left, const BigInteger& right, const BigInteger& other) {
    const std::size_t size = std::max({left.size_, right.size_, other.size_});
    std::int64_t carry = 0;
    bool nonzero = false;
    for (std::size_t i = 0; i < size; ++i) {
      const std::int64_t word = carry + left.word(i) + right.word(i) - other.word(i);
      nonzero = nonzero || (word & 0xFFFFFFFF) != 0;
      carry = word >> 32;  // arithmetic: a borrow is -1
    }
    if (carry != 0) return carry < 0 ? -1 : 1;
    return nonzero ? 1 : 0;
  }

 private:
  [[nodiscard]] std::int64_t word(std::size_t index) const {
    return index < size_ ? std::int64_t{words_[index]} : 0;
  }

  [[nodiscard]] int bit_length() const {
    if (size_ == 0) return 0;
    return static_cast<int>(size_ * 32) - std::countl_zero(words_[size_ - 1]);
  }

  // (this >> shift) mod 2^64
  [[nodiscard]] std::uint64_t bits_from(int shift) const {
    const auto first = static_cast<std::size_t>(shift / 32);
    const int offset = shift % 32;
    const std::uint64_t low = unsigned_word(first) | (unsigned_word(first + 1) << 32);
    if (offset == 0) return low;
    return (low >> offset) | (unsigned_word(first + 2) << (64 - offset));
  }

  [[nodiscard]] std::uint64_t unsigned_word(std::size_t index) const {
    return index < size_ ? words_[index] : 0U;
  }

  // this -= factor * other, where that is at most this.
  void subtract_multiple(const BigInteger& other, std::uint32_t factor) {
    std::uint64_t carry = 0;  // of the product
    std::int64_t borrow = 0;  // of the subtraction: 0 or -1
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t product = other.unsigned_word(i) * factor + carry;
      carry = product >> 32;
      const std::int64_t difference =
          std::int64_t{words_[i]} - static_cast<std::int64_t>(product & 0xFFFFFFFFU) + borrow;
      words_[i] = static_cast<std::uint32_t>(difference);
      borrow = difference >> 32;
    }
    while (size_ > 0 && words_[size_ - 1] == 0) --size_;
  }

  // Only words_[0, size_) are meaningful; the rest is never read, so never cleared (the loop
  // builds thousands of these per second).
  std::array<std::uint32_t, 40> words_;
  std::size_t size_ = 0;
};

// The state of Java's BinaryToASCIIBuffer once dtoa is done: digits[first, first + count) and
// the decimal exponent (the value is 0.d1d2d3... * 10^exponent).
struct JavaDigits {
  std::array<char, 24> digits{};
  int first = 0;
  int count = 0;
  int exponent = 0;
};

// developLongDigits: the digits of an integer below 2^63, the last `insignificant` of them
// rounded away (half up) and trailing zeros dropped.
void develop_long_digits(JavaDigits& out, std::int64_t value, int insignificant) {
  int exponent = 0;
  if (insignificant != 0) {
    const auto power = static_cast<std::int64_t>(
        kPowersOfFive[static_cast<std::size_t>(insignificant)] << insignificant);
    const std::int64_t residue = value % power;
    value /= power;
    exponent += insignificant;
    if (residue >= (power >> 1)) ++value;
  }
  int index = 19;
  int digit = static_cast<int>(value % 10);
  value /= 10;
  while (digit == 0) {
    ++exponent;
    digit = static_cast<int>(value % 10);
    value /= 10;
  }
  while (value != 0) {
    out.digits[static_cast<std::size_t>(index--)] = static_cast<char>('0' + digit);
    ++exponent;
    digit = static_cast<int>(value % 10);
    value /= 10;
  }
  out.digits[static_cast<std::size_t>(index)] = static_cast<char>('0' + digit);
  out.exponent = exponent + 1;
  out.first = index;
  out.count = 20 - index;
}

// estimateDecExp: floor(log10(value)), estimated from a linear approximation of log10 on the
// significand; it may be one too high (the digit loop then drops a leading zero).
int estimate_decimal_exponent(std::uint64_t fract_bits, int binary_exponent) {
  const auto d2 = std::bit_cast<double>((std::uint64_t{kExpBias} << kExpShift) |
                                        (fract_bits & kSignificandMask));
  const double d = (d2 - 1.5) * 0.289529654 + 0.176091259 +
                   static_cast<double>(binary_exponent) * 0.301029995663981;
  return static_cast<int>(std::floor(d));
}

void round_up(JavaDigits& out) {
  int index = out.first + out.count - 1;
  char digit = out.digits[static_cast<std::size_t>(index)];
  if (digit == '9') {
    while (digit == '9' && index > out.first) {
      out.digits[static_cast<std::size_t>(index)] = '0';
      digit = out.digits[static_cast<std::size_t>(--index)];
    }
    if (digit == '9') {
      // All nines: 1 followed by the zeros, one decimal place up, the digit count unchanged.
      out.exponent += 1;
      out.digits[static_cast<std::size_t>(out.first)] = '1';
      return;
    }
  }
  out.digits[static_cast<std::size_t>(index)] = static_cast<char>(digit + 1);
}

struct LoopResult {
  int count;
  bool low;
  bool high;
  std::int64_t low_digit_difference;
};

// The digit loop on Java ints (Int = std::int32_t) or longs (std::int64_t), wrapping as they do.
template <typename Int>
LoopResult machine_digit_loop(JavaDigits& out,
                              int& decimal_exponent,
                              std::uint64_t fract_bits,
                              int b5,
                              int b2,
                              int s5,
                              int s2,
                              int m5,
                              int m2) {
  const Int ten = 10;
  Int b = wrapping_shl(wrapping_mul(static_cast<Int>(fract_bits),
                                    static_cast<Int>(kPowersOfFive[static_cast<std::size_t>(b5)])),
                       b2);
  const Int s = wrapping_shl(static_cast<Int>(kPowersOfFive[static_cast<std::size_t>(s5)]), s2);
  Int m = wrapping_shl(static_cast<Int>(kPowersOfFive[static_cast<std::size_t>(m5)]), m2);
  const Int tens = wrapping_mul(s, ten);
  int count = 0;
  auto q = static_cast<int>(b / s);
  b = wrapping_mul(ten, static_cast<Int>(b % s));
  m = wrapping_mul(m, ten);
  bool low = b < m;
  bool high = wrapping_add(b, m) > tens;
  if (q == 0 && !high) {
    --decimal_exponent;
  } else {
    out.digits[static_cast<std::size_t>(count++)] = static_cast<char>('0' + q);
  }
  // Java always prints a digit after the point, so E-form needs a second digit.
  if (decimal_exponent < -3 || decimal_exponent >= 8) high = low = false;
  while (!low && !high) {
    q = static_cast<int>(b / s);
    b = wrapping_mul(ten, static_cast<Int>(b % s));
    m = wrapping_mul(m, ten);
    if (m > 0) {
      low = b < m;
      high = wrapping_add(b, m) > tens;
    } else {
      // m overflowed: it is certainly past both bounds.
      low = true;
      high = true;
    }
    out.digits[static_cast<std::size_t>(count++)] = static_cast<char>('0' + q);
  }
  return {count, low, high, static_cast<std::int64_t>(wrapping_sub(wrapping_shl(b, 1), tens))};
}

#if defined(__SIZEOF_INT128__)
__extension__ using Uint128 = unsigned __int128;

// A 128-bit integer with BigInteger's operations, for the numbers of the exact digit loop when
// they fit (magnitudes from about 1e-20 to 1e30): the same arithmetic without the word loops.
class WideInteger {
 public:
  static WideInteger of(std::uint64_t value, int p5, int p2) {
    Uint128 power = 1;
    for (; p5 > 26; p5 -= 26) power *= kPowersOfFive[26];
    power *= kPowersOfFive[static_cast<std::size_t>(p5)];
    return WideInteger{(Uint128{value} * power) << p2};
  }

  void multiply(std::uint32_t factor) { value_ *= factor; }
  void shift_left(int bits) { value_ <<= bits; }

  // The quotient is a digit: estimated from the leading 64 bits (never too high, at most one
  // short), then corrected.
  int quotient_remainder_times_ten(const WideInteger& divisor) {
    std::uint64_t quotient = 0;
    if (value_ >= divisor.value_) {
      const auto high = static_cast<std::uint64_t>(value_ >> 64);
      const int shift = high == 0 ? 0 : 64 - std::countl_zero(high);
      const auto top = static_cast<std::uint64_t>(value_ >> shift);
      const auto divisor_top = static_cast<std::uint64_t>(divisor.value_ >> shift);
      if (shift == 0) {
        quotient = top / divisor_top;
      } else if (divisor_top != std::numeric_limits<std::uint64_t>::max()) {
        quotient = top / (divisor_top + 1);
      }
      value_ -= divisor.value_ * quotient;
      while (value_ >= divisor.value_) {
        value_ -= divisor.value_;
        ++quotient;
      }
    }
    value_ *= 10;
    return static_cast<int>(quotient);
  }

  static int compare(const WideInteger& left, const WideInteger& right) {
    return left.value_ < right.value_ ? -1 : (left.value_ > right.value_ ? 1 : 0);
  }

  static int compare_sum(const WideInteger& left,
                         const WideInteger& right,
                         const WideInteger& other) {
    return compare(WideInteger{left.value_ + right.value_}, other);
  }

 private:
  explicit WideInteger(Uint128 value) : value_(value) {}

  Uint128 value_;
};
#endif

// Java's digit loop on FDBigIntegers: exact arithmetic (Number is BigInteger or WideInteger),
// and a `>=` test for the upper end where the machine loops have `>`.
template <typename Number>
LoopResult exact_digit_loop(JavaDigits& out,
                            int& decimal_exponent,
                            std::uint64_t fract_bits,
                            int b5,
                            int b2,
                            int s5,
                            int s2,
                            int m5,
                            int m2) {
  const Number s = Number::of(1, s5, s2);
  Number b = Number::of(fract_bits, b5, b2);
  Number m = Number::of(1, m5 + 1, m2 + 1);  // ten times Java's m, as b is after a step
  const Number tens = Number::of(1, s5 + 1, s2 + 1);
  int count = 0;
  int q = b.quotient_remainder_times_ten(s);
  bool low = Number::compare(b, m) < 0;
  bool high = Number::compare_sum(b, m, tens) >= 0;
  if (q == 0 && !high) {
    --decimal_exponent;
  } else {
    out.digits[static_cast<std::size_t>(count++)] = static_cast<char>('0' + q);
  }
  if (decimal_exponent < -3 || decimal_exponent >= 8) high = low = false;
  while (!low && !high) {
    q = b.quotient_remainder_times_ten(s);
    m.multiply(10);
    low = Number::compare(b, m) < 0;
    high = Number::compare_sum(b, m, tens) >= 0;
    out.digits[static_cast<std::size_t>(count++)] = static_cast<char>('0' + q);
  }
  std::int64_t low_digit_difference = 0;
  if (high && low) {
    b.shift_left(1);
    low_digit_difference = Number::compare(b, tens);
  }
  return {count, low, high, low_digit_difference};
}

// About the bits of 5^exponent, as Java counts them to pick the arithmetic.
int five_bits(int exponent) {
  return exponent < static_cast<int>(kFiveBits.size())
             ? kFiveBits[static_cast<std::size_t>(exponent)]
             : exponent * 3;
}

// The last digit: rounded up when only the upper end is near, or when both are and the
// remainder is past half (a tie keeps an even digit).
void round_last_digit(JavaDigits& out, const LoopResult& loop) {
  if (!loop.high) return;
  const auto last_is_odd = [&out] {
    return (out.digits[static_cast<std::size_t>(out.first + out.count - 1)] & 1) != 0;
  };
  if (!loop.low || loop.low_digit_difference > 0 ||
      (loop.low_digit_difference == 0 && last_is_odd())) {
    round_up(out);
  }
}

// dtoa: fract_bits holds the significand with its leading one at bit 52 (a subnormal
// normalized), binary_exponent is unbiased, significant_bits is 53 for a normal double, 24 for
// a normal float, fewer for subnormals.
JavaDigits java_dtoa(int binary_exponent, std::uint64_t fract_bits, int significant_bits) {
  JavaDigits out;
  const int tail_zeros = std::countr_zero(fract_bits);
  const int fract_bit_count = kExpShift + 1 - tail_zeros;
  const int tiny_bits = std::max(0, fract_bit_count - binary_exponent - 1);
  if (binary_exponent <= kMaxSmallBinExp && binary_exponent >= kMinSmallBinExp &&
      tiny_bits < static_cast<int>(kPowersOfFive.size()) &&
      fract_bit_count + kFiveBits[static_cast<std::size_t>(tiny_bits)] < 64 && tiny_bits == 0) {
    // An integer below 2^63: its digits, less those beyond the significand's precision.
    const int insignificant = binary_exponent > significant_bits
                                  ? (binary_exponent - significant_bits - 1 > 1
                                         ? kInsignificantDigitsForPow2[static_cast<std::size_t>(
                                               binary_exponent - significant_bits - 1)]
                                         : 0)
                                  : 0;
    const std::uint64_t integer = binary_exponent >= kExpShift
                                      ? fract_bits << (binary_exponent - kExpShift)
                                      : fract_bits >> (kExpShift - binary_exponent);
    develop_long_digits(out, static_cast<std::int64_t>(integer), insignificant);
    return out;
  }
  // value = (B / S) * 10^decimal_exponent with 1 <= B / S < 10, M half an ulp scaled like B;
  // the digits of B / S are generated until the remainder is within M of either end.
  int decimal_exponent = estimate_decimal_exponent(fract_bits, binary_exponent);
  const int b5 = std::max(0, -decimal_exponent);
  int b2 = b5 + tiny_bits + binary_exponent;
  const int s5 = std::max(0, decimal_exponent);
  int s2 = s5 + tiny_bits;
  const int m5 = b5;
  int m2 = b2 - significant_bits;
  fract_bits >>= tail_zeros;
  b2 -= fract_bit_count - 1;
  const int common2 = std::min(b2, s2);
  b2 -= common2;
  s2 -= common2;
  m2 -= common2;
  // Below a power of two the next double is half as far away; Java halves M on both sides.
  if (fract_bit_count == 1) m2 -= 1;
  if (m2 < 0) {
    b2 -= m2;
    s2 -= m2;
    m2 = 0;
  }
  const int b_bits = fract_bit_count + b2 + five_bits(b5);
  const int ten_s_bits = s2 + 1 + five_bits(s5 + 1);
  LoopResult loop{};
  if (b_bits < 32 && ten_s_bits < 32) {
    loop =
        machine_digit_loop<std::int32_t>(out, decimal_exponent, fract_bits, b5, b2, s5, s2, m5, m2);
  } else if (b_bits < 64 && ten_s_bits < 64) {
    loop =
        machine_digit_loop<std::int64_t>(out, decimal_exponent, fract_bits, b5, b2, s5, s2, m5, m2);
  } else {
#if defined(__SIZEOF_INT128__)
    // b, m and tens stay below 11 * tens (the loop stops once m passes b or b + m passes
    // tens), so 120 bits of tens leave room.
    if (b_bits < 120 && ten_s_bits < 120) {
      loop =
          exact_digit_loop<WideInteger>(out, decimal_exponent, fract_bits, b5, b2, s5, s2, m5, m2);
    } else {
      loop =
          exact_digit_loop<BigInteger>(out, decimal_exponent, fract_bits, b5, b2, s5, s2, m5, m2);
    }
#else
    loop = exact_digit_loop<BigInteger>(out, decimal_exponent, fract_bits, b5, b2, s5, s2, m5, m2);
#endif
  }
  out.exponent = decimal_exponent + 1;
  out.first = 0;
  out.count = loop.count;
  round_last_digit(out, loop);
  return out;
}

// getChars: plain notation for exponents 1 to 7 (1 <= |v| < 10^7) and -2 to 0 (10^-3 <= |v| < 1),
// d.dddE<n> otherwise, always a digit after the point.
void append_java_layout(std::string& out, bool negative, const JavaDigits& java) {
  if (negative) out.push_back('-');
  const char* digits = java.digits.data() + java.first;
  const int count = java.count;
  const int exponent = java.exponent;
  if (exponent > 0 && exponent < 8) {
    const int integer_digits = std::min(count, exponent);
    out.append(digits, static_cast<std::size_t>(integer_digits));
    if (integer_digits < exponent) {
      out.append(static_cast<std::size_t>(exponent - integer_digits), '0');
      out.append(".0");
    } else {
      out.push_back('.');
      if (integer_digits < count) {
        out.append(digits + integer_digits, static_cast<std::size_t>(count - integer_digits));
      } else {
        out.push_back('0');
      }
    }
  } else if (exponent <= 0 && exponent > -3) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-exponent), '0');
    out.append(digits, static_cast<std::size_t>(count));
  } else {
    out.push_back(digits[0]);
    out.push_back('.');
    if (count > 1) {
      out.append(digits + 1, static_cast<std::size_t>(count - 1));
    } else {
      out.push_back('0');
    }
    out.push_back('E');
    int e = exponent - 1;
    if (exponent <= 0) {
      out.push_back('-');
      e = -exponent + 1;
    }
    std::array<char, 8> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), e);
    out.append(buffer.data(), result.ptr);
  }
}

// Zero, NaN and the infinities; false for every other value.
template <typename Float>
bool append_special(std::string& out, Float value) {
  if (std::isnan(value)) {
    out.append("NaN");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? "Infinity" : "-Infinity");
  } else if (value == 0) {
    out.append(std::signbit(value) ? "-0.0" : "0.0");
  } else {
    return false;
  }
  return true;
}

}  // namespace

namespace {

// getBinaryToASCIIConverter: the sign, the significand with its leading one at bit 52 (a
// subnormal normalized, remembering how few bits it has) and the unbiased exponent, for a
// double's bits or a float's (Java runs the double algorithm on a float with its precision).
template <typename Bits, int SignificandBits, int Bias>
void append_java_binary(std::string& out, Bits bits) {
  constexpr int kWidth = static_cast<int>(sizeof(Bits)) * 8;
  constexpr int kExponentBits = kWidth - 1 - SignificandBits;
  Bits fract_bits = bits & ((Bits{1} << SignificandBits) - 1);
  int binary_exponent =
      static_cast<int>((bits >> SignificandBits) & ((Bits{1} << kExponentBits) - 1));
  int significant_bits = SignificandBits + 1;
  if (binary_exponent == 0) {
    const int leading_zeros = std::countl_zero(fract_bits);
    const int shift = leading_zeros - kExponentBits;
    fract_bits = static_cast<Bits>(fract_bits << shift);
    binary_exponent = 1 - shift;
    significant_bits = kWidth - leading_zeros;
  } else {
    fract_bits |= Bits{1} << SignificandBits;
  }
  binary_exponent -= Bias;
  append_java_layout(
      out, (bits >> (kWidth - 1)) != 0,
      java_dtoa(binary_exponent, std::uint64_t{fract_bits} << (kExpShift - SignificandBits),
                significant_bits));
}

}  // namespace

void append_java_double_generated(std::string& out, double value) {
  if (append_special(out, value)) return;
  append_java_binary<std::uint64_t, kExpShift, kExpBias>(out, std::bit_cast<std::uint64_t>(value));
}

void append_java_double(std::string& out, double value) {
  // For magnitudes in [1e-7, 1e16) Java's digits are the shortest ones that round-trip, which
  // std::to_chars finds faster: the ends of the rounding interval have too many digits to tie
  // with a shorter number, no shorter number hides in the part of the interval Java narrows
  // above a power of two (checked for every one of them here), and integers print whole below
  // 2^54. Below 1e-7 and from 1e16 (where Java keeps digits of integers below 2^63 that the
  // shortest form drops) the digits are Java's own; the test checks the two paths agree on
  // millions of doubles.
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // Plain notation, which Java and to_chars lay out alike except for integers' `.0`.
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::fixed);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    out.append(text);
    if (text.find('.') == std::string_view::npos) out.append(".0");
    return;
  }
  if (magnitude >= 1e-7 && magnitude < 1e16) {
    // to_chars writes -d.ddde-05 or de+15; Java writes -d.dddE-5 and d.0E15.
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::scientific);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    const std::size_t e = text.find('e');
    std::string_view mantissa = text.substr(0, e);
    out.append(mantissa);
    if (mantissa.find('.') == std::string_view::npos) out.append(".0");
    out.push_back('E');
    std::string_view exponent = text.substr(e + 1);
    if (exponent.front() == '-') out.push_back('-');
    exponent.remove_prefix(1);
    if (exponent.front() == '0') exponent.remove_prefix(1);
    out.append(exponent);
    return;
  }
  append_java_double_generated(out, value);
}

std::string java_double_to_string(double value) {
  std::string out;
  append_java_double(out, value);
  return out;
}

void append_java_float(std::string& out, float value) {
  if (append_special(out, value)) return;
  append_java_binary<std::uint32_t, 23, 127>(out, std::bit_cast<std::uint32_t>(value));
}

std::string java_float_to_string(float value) {
  std::string out;
  append_java_float(out, value);
  return out;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_type_suffix(char c) {
  return c == 'd' || c == 'D' || c == 'f' || c == 'F';
}

// Reads an exponent's digits, saturating far beyond any exponent that matters.
std::int64_t saturating_exponent(std::string_view digits) {
  std::int64_t value = 0;
  for (const char c : digits) value = std::min<std::int64_t>(value * 10 + (c - '0'), 1'000'000'000);
  return value;
}

// A number as Java's grammar reads it, split for std::from_chars: `body` is the significand and
// exponent without sign, `0x` or type suffix; `scale` is about the power (of 10 for decimal, of
// 2 for hexadecimal) of its leading nonzero digit, which tells an overflow from an underflow.
struct JavaNumber {
  std::string_view body;
  bool negative = false;
  bool hex = false;
  std::int64_t scale = 0;
};

enum class Special { kNone, kNaN, kInfinity };

struct Scanned {
  bool valid = false;
  Special special = Special::kNone;
  JavaNumber number;
};

// Reads the significand's digits and point at `position`; counts the digits and keeps the
// power of the leading nonzero one in `scale`.
std::size_t scan_significand(std::string_view text,
                             bool hex,
                             std::size_t& position,
                             std::int64_t& scale) {
  const auto digit = hex ? is_hex_digit : is_digit;
  const int digit_scale = hex ? 4 : 1;
  bool seen_nonzero = false;
  std::size_t digit_count = 0;
  for (; position < text.size() && digit(text[position]); ++position, ++digit_count) {
    seen_nonzero = seen_nonzero || text[position] != '0';
    if (seen_nonzero) scale += digit_scale;
  }
  if (position < text.size() && text[position] == '.') {
    for (++position; position < text.size() && digit(text[position]); ++position, ++digit_count) {
      if (!seen_nonzero && text[position] == '0') scale -= digit_scale;
      seen_nonzero = seen_nonzero || text[position] != '0';
    }
  }
  return digit_count;
}

// Reads an exponent (`e` for decimal, `p` for hexadecimal) at `position` if there is one, and
// adds it to `scale`; false when it has no digits.
bool scan_exponent(std::string_view text, bool hex, std::size_t& position, std::int64_t& scale) {
  const char marker = position < text.size() ? text[position] : '\0';
  if (hex ? (marker != 'p' && marker != 'P') : (marker != 'e' && marker != 'E')) {
    return !hex;  // Java requires a binary exponent
  }
  ++position;
  bool negative = false;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    negative = text[position] == '-';
    ++position;
  }
  const std::size_t start = position;
  while (position < text.size() && is_digit(text[position])) ++position;
  if (position == start) return false;
  const std::int64_t exponent = saturating_exponent(text.substr(start, position - start));
  scale += negative ? -exponent : exponent;
  return true;
}

Scanned scan_java_number(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  Scanned scanned;
  if (text.empty()) return scanned;
  if (text.front() == '+' || text.front() == '-') {
    scanned.number.negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text == "NaN" || text == "Infinity") {
    scanned.valid = true;
    scanned.special = text == "NaN" ? Special::kNaN : Special::kInfinity;
    return scanned;
  }
  const bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (hex) text.remove_prefix(2);
  std::size_t position = 0;
  std::int64_t scale = 0;
  if (scan_significand(text, hex, position, scale) == 0) return scanned;
  if (!scan_exponent(text, hex, position, scale)) return scanned;
  const std::size_t body_end = position;
  if (position < text.size() && is_type_suffix(text[position])) ++position;
  if (position != text.size()) return scanned;
  scanned.valid = true;
  scanned.number.body = text.substr(0, body_end);
  scanned.number.hex = hex;
  scanned.number.scale = scale;
  return scanned;
}

template <typename Float>
std::optional<Float> parse_java_floating(std::string_view text) {
  const Scanned scanned = scan_java_number(text);
  if (!scanned.valid) return std::nullopt;
  const JavaNumber& number = scanned.number;
  if (scanned.special == Special::kNaN) return std::numeric_limits<Float>::quiet_NaN();
  Float value = 0;
  if (scanned.special == Special::kInfinity) {
    value = std::numeric_limits<Float>::infinity();
  } else {
    const auto result =
        std::from_chars(number.body.data(), number.body.data() + number.body.size(), value,
                        number.hex ? std::chars_format::hex : std::chars_format::general);
    if (result.ec == std::errc::result_out_of_range) {
      // Java rounds past the largest value to Infinity and below the smallest to zero.
      value = number.scale > 0 ? std::numeric_limits<Float>::infinity() : Float{0};
    } else if (result.ec != std::errc() || result.ptr != number.body.data() + number.body.size()) {
      return std::nullopt;
    }
  }
  return number.negative ? -value : value;
}

}  // namespace

std::optional<double> parse_java_double(std::string_view text) {
  return parse_java_floating<double>(text);
}

std::optional<float> parse_java_float(std::string_view text) {
  return parse_java_floating<float>(text);
}

}  // namespace kafkasink::detail
