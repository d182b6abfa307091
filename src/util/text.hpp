// Text conversions shared by show, cast and to_json, so that a timestamp prints the same way
// everywhere (Spark prints it the same way in all three). Doubles and floats are in
// java_number_text.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// Appends a timestamp (microseconds since the epoch, UTC) as Spark casts it to string:
/// `2024-01-02 03:04:05`, with `.123456` trimmed of trailing zeros when there is a fraction.
void append_timestamp(std::string& out, std::int64_t micros);

/// Parses `yyyy-MM-dd[ HH:mm:ss[.ffffff]]` (also with `T` and a trailing `Z`), UTC.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

/// Spark's string -> int/long parsing: optional sign, digits, surrounding spaces trimmed.
std::optional<std::int64_t> parse_long(std::string_view text);

/// Spark's string -> double parsing (also `NaN`, `Infinity`, `-Infinity`).
std::optional<double> parse_double(std::string_view text);

/// Spark's string -> boolean: t/true/y/yes/1 and f/false/n/no/0, case-insensitive.
std::optional<bool> parse_boolean(std::string_view text);

/// Trims ASCII white space at both ends.
std::string_view trim(std::string_view text);

/// Lower-cases ASCII letters.
std::string to_lower(std::string_view text);

}  // namespace kafkasink::detail
