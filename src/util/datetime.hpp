// Dates and timestamps as Spark 3.5 reads and writes them, in the session time zone UTC.
//
// Writing follows java.time's ISO formatters as Spark builds them: a year of four digits, with a
// sign when it is negative (`-0001`) or longer (`+10000`). Reading follows Spark's
// DateTimeUtils.stringToDate and stringToTimestamp, the lenient parsers behind CAST and the CSV
// and JSON readers' defaults: `2020`, `2020-1-1`, `2020-01-01 1:2`, a trailing `.` or zone
// (`Z`, `+01:00`, `+1`, `UTC`, `GMT+1`, `UT-05:30`, `EST`, `Europe/Paris`, `PST`), a time alone
// (today's date), and impossible dates (`2020-02-30`) refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// A day of the proleptic Gregorian calendar, which java.time uses for every year.
struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

/// Days since 1970-01-01 of a date (any year), and back.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
CivilDate civil_from_days(std::int64_t days);

/// Division rounding towards negative infinity.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor);

bool is_leap_year(std::int64_t year);

/// Appends a date (days since 1970-01-01) as Spark casts it to string: `2024-01-02`,
/// `-0001-12-31`, `+10000-01-01`.
void append_date(std::string& out, std::int64_t days);

/// Appends whole seconds since the epoch (UTC) as `yyyy-MM-dd<separator>HH:mm:ss`, the year as in
/// append_date.
void append_date_time(std::string& out, std::int64_t seconds, char separator);

/// Appends a timestamp (microseconds since the epoch, UTC) as Spark casts it to string:
/// `2024-01-02 03:04:05`, with `.123456` trimmed of trailing zeros when there is a fraction.
void append_timestamp(std::string& out, std::int64_t micros);

/// Spark's stringToDate: the days since the epoch of `[+-]yyyy*[-[m]m[-[d]d[( |T)anything]]]`,
/// trimmed of bytes up to 0x20 and 0x7F; nothing for other text or an impossible date.
std::optional<std::int32_t> parse_date(std::string_view text);

/// Whether `text` is exactly what Spark's strict `yyyy-MM-dd` date formatter (the CSV reader's
/// date inference) accepts: four-digit year (or a signed longer one), two-digit month and day,
/// and a real date.
bool is_strict_iso_date(std::string_view text);

/// Spark's stringToTimestamp in the session time zone UTC: microseconds since the epoch, or
/// nothing for text it does not accept, an impossible date or time, an unknown zone, or an
/// instant beyond the 64-bit range. Region zones (`Europe/Paris`, and the short ids such as
/// `PST`) come from the system's tz database (util/time_zone.hpp).
std::optional<std::int64_t> parse_timestamp(std::string_view text);

}  // namespace kafkasink::detail
