// Spark's CAST from string, and text helpers shared by the parsers. Doubles and floats are in
// java_number_text.hpp, dates and timestamps in datetime.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// Java's Long.parseLong: an optional sign and decimal digits, nothing else (no white space).
std::optional<std::int64_t> parse_long(std::string_view text);

// CAST(string AS ...), as Spark 3.5 does it outside ANSI mode: nullopt where Spark gives null.

/// UTF8String.trimAll: drops the bytes up to 0x20 and 0x7F (DEL) at both ends, which Spark's
/// casts to integers and to boolean ignore.
std::string_view trim_all(std::string_view text);

/// UTF8String.toLong (CAST AS BIGINT): trim_all, an optional sign, digits, and an optional
/// fraction of digits that is dropped: `' 12 '` is 12, `'3.7'` is 3, `'-.5'` is 0, while `'+-1'`,
/// `'1e3'`, `'12abc'` and anything beyond the long range are null.
std::optional<std::int64_t> cast_string_to_long(std::string_view text);

/// UTF8String.toInt (CAST AS INT): the rules of cast_string_to_long within the int range.
std::optional<std::int32_t> cast_string_to_int(std::string_view text);

/// UTF8String.toShort and toByte (CAST AS SMALLINT, TINYINT): cast_string_to_int, then null
/// unless the value fits.
std::optional<std::int16_t> cast_string_to_short(std::string_view text);
std::optional<std::int8_t> cast_string_to_byte(std::string_view text);

/// CAST AS DOUBLE: Java's Double.parseDouble (so `1e400` is Infinity, `0x1p3` is 8.0 and
/// `1.5d` is 1.5), and where it refuses the text, Spark's special literals in any case after
/// trimming: `inf`, `+inf`, `infinity`, `+infinity`, `-inf`, `-infinity`, `nan`.
std::optional<double> cast_string_to_double(std::string_view text);

/// CAST AS FLOAT: the same with Java's Float.parseFloat.
std::optional<float> cast_string_to_float(std::string_view text);

/// CAST AS BOOLEAN: after trim_all, t/true/y/yes/1 and f/false/n/no/0, in any case.
std::optional<bool> cast_string_to_boolean(std::string_view text);

/// Trims ASCII white space at both ends.
std::string_view trim(std::string_view text);

/// Java's String.trim: every character up to U+0020 at both ends (as BigDecimal and ZoneId text
/// reach Spark's parsers).
std::string_view java_trim(std::string_view text);

/// Lower-cases ASCII letters and nothing else, whatever the locale (Java's
/// `toLowerCase(Locale.ROOT)` on ASCII text, as Spark compares option keys and names).
std::string to_lower(std::string_view text);

}  // namespace kafkasink::detail
