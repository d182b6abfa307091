#include "util/datetime.hpp"

#include <array>
#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "util/decimal.hpp"
#include "util/text.hpp"
#include "util/time_zone.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// java.time's ISO year (SignStyle.EXCEEDS_PAD, width 4): a sign only beyond four digits or
// below zero.
void append_year(std::string& out, std::int64_t year) {
  if (year > 9999) {
    out += fmt::format("+{}", year);
  } else if (year < 0) {
    out += fmt::format("-{:04}", -year);
  } else {
    out += fmt::format("{:04}", year);
  }
}

void append_civil_date(std::string& out, const CivilDate& date) {
  append_year(out, date.year);
  out += fmt::format("-{:02}-{:02}", date.month, date.day);
}

// LocalDate.of's check, plus Spark's Math.toIntExact of the epoch day.
std::optional<std::int64_t> valid_days(std::int64_t year, std::int64_t month, std::int64_t day) {
  constexpr std::array<int, 12> kMonthLengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const int length = kMonthLengths.at(static_cast<std::size_t>(month - 1)) +
                     (month == 2 && is_leap_year(year) ? 1 : 0);
  if (day > length) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// ---------------------------------------------------------------------------------------------
// Zones: java.time's ZoneId.of(id, SHORT_IDS) after Spark's getZoneId rewrites.

// Two digits at `position` of `id` (ZoneOffset.parseNumber).
std::optional<int> two_digits(std::string_view id, std::size_t position, bool after_colon) {
  if (after_colon && id[position - 1] != ':') return std::nullopt;
  if (!is_digit(id[position]) || !is_digit(id[position + 1])) return std::nullopt;
  return (id[position] - '0') * 10 + (id[position + 1] - '0');
}

// ZoneOffset.of: Z, +h, +hh, +hhmm, +hh:mm, +hhmmss, +hh:mm:ss, at most 18 hours.
std::optional<std::int32_t> zone_offset(std::string_view id) {
  if (id == "Z") return 0;
  std::string padded;
  if (id.size() == 2) {
    padded = {id[0], '0', id[1]};
    id = padded;
  }
  std::optional<int> hours;
  std::optional<int> minutes = 0;
  std::optional<int> seconds = 0;
  switch (id.size()) {
    case 3:
      hours = two_digits(id, 1, false);
      break;
    case 5:
      hours = two_digits(id, 1, false);
      minutes = two_digits(id, 3, false);
      break;
    case 6:
      hours = two_digits(id, 1, false);
      minutes = two_digits(id, 4, true);
      break;
    case 7:
      hours = two_digits(id, 1, false);
      minutes = two_digits(id, 3, false);
      seconds = two_digits(id, 5, false);
      break;
    case 9:
      hours = two_digits(id, 1, false);
      minutes = two_digits(id, 4, true);
      seconds = two_digits(id, 7, true);
      break;
    default:
      return std::nullopt;
  }
  if (!hours || !minutes || !seconds || (id[0] != '+' && id[0] != '-')) return std::nullopt;
  if (*hours > 18 || *minutes > 59 || *seconds > 59) return std::nullopt;
  const std::int32_t total = *hours * 3600 + *minutes * 60 + *seconds;
  if (total > 18 * 3600) return std::nullopt;
  return id[0] == '-' ? -total : total;
}

// Region ids from the tz database whose offset is constant, known without it: the aliases of
// UTC and Etc/GMT±h (whose sign is POSIX's, the opposite of ISO's).
std::optional<std::int32_t> fixed_region(std::string_view id) {
  static constexpr std::array<std::string_view, 14> kUtcAliases = {
      "Etc/UTC",   "Etc/UCT",   "Etc/Universal", "Etc/Zulu",      "Etc/GMT",
      "Etc/GMT0",  "Etc/GMT+0", "Etc/GMT-0",     "Etc/Greenwich", "GMT0",
      "Greenwich", "UCT",       "Universal",     "Zulu"};
  for (const std::string_view alias : kUtcAliases) {
    if (id == alias) return 0;
  }
  constexpr std::string_view kEtcGmt = "Etc/GMT";
  if (id.size() > kEtcGmt.size() + 1 && id.substr(0, kEtcGmt.size()) == kEtcGmt) {
    const char sign = id[kEtcGmt.size()];
    const std::string_view hours_text = id.substr(kEtcGmt.size() + 1);
    if ((sign != '+' && sign != '-') || hours_text.size() > 2 || hours_text.front() == '0') {
      return std::nullopt;
    }
    int hours = 0;
    for (const char c : hours_text) {
      if (!is_digit(c)) return std::nullopt;
      hours = hours * 10 + (c - '0');
    }
    if ((sign == '+' && hours > 12) || (sign == '-' && hours > 14)) return std::nullopt;
    return (sign == '+' ? -hours : hours) * 3600;
  }
  return std::nullopt;
}

// A zone of timestamp text: a fixed offset, or a region's rules.
struct Zone {
  std::int32_t offset = 0;
  const ZoneRules* rules = nullptr;

  std::int32_t offset_at(std::int64_t epoch_second) const {
    return rules != nullptr ? rules->offset_at(epoch_second) : offset;
  }
  std::int64_t epoch_second_of_local(std::int64_t local_second) const {
    return rules != nullptr ? rules->epoch_second_of_local(local_second) : local_second - offset;
  }
};

// ZoneId.SHORT_IDS: the three-letter ids java.time maps to a region (EST, MST and HST map to
// fixed offsets and are handled with them).
std::string_view short_id_region(std::string_view id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kShortIds = {{
      {"ACT", "Australia/Darwin"},
      {"AET", "Australia/Sydney"},
      {"AGT", "America/Argentina/Buenos_Aires"},
      {"ART", "Africa/Cairo"},
      {"AST", "America/Anchorage"},
      {"BET", "America/Sao_Paulo"},
      {"BST", "Asia/Dhaka"},
      {"CAT", "Africa/Harare"},
      {"CNT", "America/St_Johns"},
      {"CST", "America/Chicago"},
      {"CTT", "Asia/Shanghai"},
      {"EAT", "Africa/Addis_Ababa"},
      {"ECT", "Europe/Paris"},
      {"IET", "America/Indiana/Indianapolis"},
      {"IST", "Asia/Kolkata"},
      {"JST", "Asia/Tokyo"},
      {"MIT", "Pacific/Apia"},
      {"NET", "Asia/Yerevan"},
      {"NST", "Pacific/Auckland"},
      {"PLT", "Asia/Karachi"},
      {"PNT", "America/Phoenix"},
      {"PRT", "America/Puerto_Rico"},
      {"PST", "America/Los_Angeles"},
      {"SST", "Pacific/Guadalcanal"},
      {"VST", "Asia/Ho_Chi_Minh"},
  }};
  for (const auto& [short_id, region] : kShortIds) {
    if (id == short_id) return region;
  }
  return id;
}

std::optional<Zone> fixed_zone(std::optional<std::int32_t> offset) {
  if (!offset) return std::nullopt;
  return Zone{*offset, nullptr};
}

// ZoneRegion.ofId: the fixed regions without the tz database, the others from it.
std::optional<Zone> region_zone(std::string_view id) {
  if (const std::optional<std::int32_t> offset = fixed_region(id)) return Zone{*offset, nullptr};
  if (const ZoneRules* rules = find_region_zone(id)) return Zone{0, rules};
  return std::nullopt;
}

// ZoneId.ofWithPrefix: `UTC`, `GMT` or `UT` alone, or followed by an offset; otherwise a
// region (`GMT0`, `UCT`, `Universal`).
std::optional<Zone> prefixed_zone(std::string_view id, std::size_t prefix) {
  if (id.size() == prefix) return Zone{0, nullptr};
  if (id[prefix] != '+' && id[prefix] != '-') return region_zone(id);
  return fixed_zone(zone_offset(id.substr(prefix)));
}

// Spark's DateTimeUtils.getZoneId: `+h:` and a final `:m` get their missing zero, then
// ZoneId.of with the short ids.
std::optional<Zone> text_zone(std::string_view raw) {
  std::string id(java_trim(raw));
  for (std::size_t k = 0; k + 2 < id.size(); ++k) {
    if ((id[k] == '+' || id[k] == '-') && is_digit(id[k + 1]) && id[k + 2] == ':') {
      id.insert(k + 1, 1, '0');
      break;
    }
  }
  const std::size_t n = id.size();
  if (n >= 5 && (id[n - 5] == '+' || id[n - 5] == '-') && is_digit(id[n - 4]) &&
      is_digit(id[n - 3]) && id[n - 2] == ':' && is_digit(id[n - 1])) {
    id.insert(n - 1, 1, '0');
  }
  // ZoneId.SHORT_IDS: the three that name fixed offsets, then those that name regions.
  if (id == "EST") return Zone{-5 * 3600, nullptr};
  if (id == "MST") return Zone{-7 * 3600, nullptr};
  if (id == "HST") return Zone{-10 * 3600, nullptr};
  const std::string_view view = short_id_region(id);
  if (view.size() <= 1 || view.front() == '+' || view.front() == '-') {
    return fixed_zone(zone_offset(view));
  }
  if (view.substr(0, 3) == "UTC" || view.substr(0, 3) == "GMT") return prefixed_zone(view, 3);
  if (view.substr(0, 2) == "UT") return prefixed_zone(view, 2);
  return region_zone(view);
}

// ---------------------------------------------------------------------------------------------

// The fields of DateTimeUtils.parseTimestampString: year, month, day, hour, minute, second,
// microsecond, and two that only a zone's digits reach.
struct TimestampFields {
  std::array<std::int64_t, 9> segments{1, 1, 1, 0, 0, 0, 0, 0, 0};
  std::optional<std::string_view> zone;
  bool just_time = false;
};

bool valid_timestamp_digits(std::size_t segment, std::int64_t digits) {
  // The year has 4 to 6 digits (a long holds about 290,000 years); the fraction may be longer
  // than 6 digits (it is truncated); the zone's segment may be empty (a region id).
  return segment == 6 || (segment == 0 && digits >= 4 && digits <= 6) ||
         (segment == 7 && digits <= 2) ||
         (segment != 0 && segment != 6 && segment != 7 && digits > 0 && digits <= 2);
}

std::optional<TimestampFields> timestamp_fields(std::string_view text) {
  const std::string_view bytes = trim_all(text);
  if (bytes.empty()) return std::nullopt;
  TimestampFields fields;
  std::array<std::int64_t, 9>& segments = fields.segments;
  std::size_t i = 0;
  std::int64_t value = 0;
  std::int64_t digits = 0;
  std::int64_t fraction_digits = 0;
  std::size_t j = 0;
  int year_sign = 0;
  if (bytes[0] == '-' || bytes[0] == '+') {
    year_sign = bytes[0] == '-' ? -1 : 1;
    j = 1;
  }
  const auto close_segment = [&](std::size_t segment) {
    if (!valid_timestamp_digits(segment, digits)) return false;
    segments.at(segment) = value;
    value = 0;
    digits = 0;
    return true;
  };
  for (; j < bytes.size(); ++j) {
    const char b = bytes[j];
    if (is_digit(b)) {
      if (i == 6) ++fraction_digits;
      // Fraction digits beyond microseconds are dropped; a run too long for any segment is
      // rejected by the digit count, so its value need not be kept.
      if ((i != 6 || digits < 6) && digits < 18) value = value * 10 + (b - '0');
      ++digits;
      continue;
    }
    if (j == 0 && b == 'T') {
      fields.just_time = true;
      i += 3;
    } else if (i < 2) {
      if (b == '-') {
        if (!close_segment(i)) return std::nullopt;
        ++i;
      } else if (i == 0 && b == ':' && year_sign == 0) {
        fields.just_time = true;
        if (!close_segment(3)) return std::nullopt;
        i = 4;
      } else {
        return std::nullopt;
      }
    } else if (i == 2) {
      if (b != ' ' && b != 'T') return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    } else if (i == 3 || i == 4) {
      if (b != ':') return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    } else if (i == 5 || i == 6) {
      if (!close_segment(i)) return std::nullopt;
      ++i;
      if (!(b == '.' && i == 6)) {
        // Anything else after the seconds (or the fraction) starts the zone.
        fields.zone = bytes.substr(j);
        j = bytes.size() - 1;
        if (i == 6) ++i;
      }
    } else {
      if (i >= segments.size() || (b != ':' && b != ' ')) return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    }
  }
  if (i >= segments.size() || !close_segment(i)) return std::nullopt;
  for (; fraction_digits < 6; ++fraction_digits) segments[6] *= 10;
  if (year_sign != 0) segments[0] *= year_sign;
  return fields;
}

}  // namespace

// Howard Hinnant's days-from-civil and civil-from-days.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const unsigned month = month_index < 10 ? month_index + 3 : month_index - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor < 0) ? quotient - 1 : quotient;
}

bool is_leap_year(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

void append_date(std::string& out, std::int64_t days) {
  append_civil_date(out, civil_from_days(days));
}

void append_date_time(std::string& out, std::int64_t seconds, char separator) {
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t second_of_day = seconds - days * kSecondsPerDay;
  append_civil_date(out, civil_from_days(days));
  out += fmt::format("{}{:02}:{:02}:{:02}", separator, second_of_day / 3600,
                     second_of_day / 60 % 60, second_of_day % 60);
}

void append_timestamp(std::string& out, std::int64_t micros) {
  std::int64_t seconds = micros / kMicrosPerSecond;
  std::int64_t fraction = micros % kMicrosPerSecond;
  if (fraction < 0) {
    fraction += kMicrosPerSecond;
    --seconds;
  }
  append_date_time(out, seconds, ' ');
  if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
}

std::optional<std::int32_t> parse_date(std::string_view text) {
  const std::string_view bytes = trim_all(text);
  if (bytes.empty()) return std::nullopt;
  std::array<std::int64_t, 3> segments{1, 1, 1};
  std::int64_t sign = 1;
  std::size_t i = 0;
  std::int64_t value = 0;
  std::int64_t digits = 0;
  std::size_t j = 0;
  if (bytes[0] == '-' || bytes[0] == '+') {
    sign = bytes[0] == '-' ? -1 : 1;
    j = 1;
  }
  // The year has 4 to 7 digits (an int of days holds about 5 million years).
  const auto valid = [](std::size_t segment, std::int64_t count) {
    return (segment == 0 && count >= 4 && count <= 7) || (segment != 0 && count > 0 && count <= 2);
  };
  for (; j < bytes.size() && bytes[j] != ' ' && bytes[j] != 'T'; ++j) {
    const char b = bytes[j];
    if (i < 2 && b == '-') {
      if (!valid(i, digits)) return std::nullopt;
      segments.at(i++) = value;
      value = 0;
      digits = 0;
    } else if (is_digit(b)) {
      if (digits < 18) value = value * 10 + (b - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (!valid(i, digits)) return std::nullopt;
  // `yyyy` and `yyyy-[m]m` must be the whole text; a full date may be followed by ` ` or `T`
  // and anything.
  if (i < 2 && j < bytes.size()) return std::nullopt;
  segments.at(i) = value;
  const std::optional<std::int64_t> days = valid_days(sign * segments[0], segments[1], segments[2]);
  if (!days || *days < std::numeric_limits<std::int32_t>::min() ||
      *days > std::numeric_limits<std::int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(*days);
}

bool is_strict_iso_date(std::string_view text) {
  std::size_t position = 0;
  const char sign = text.empty() ? '\0' : text.front();
  if (sign == '+' || sign == '-') ++position;
  const std::size_t year_start = position;
  while (position < text.size() && is_digit(text[position])) ++position;
  const std::size_t year_digits = position - year_start;
  // SignStyle.EXCEEDS_PAD, strictly: four digits, or a `+` and more, or a `-` and at least four.
  const bool year_ok = sign == '+'   ? year_digits > 4 && year_digits <= 10
                       : sign == '-' ? year_digits >= 4 && year_digits <= 10
                                     : year_digits == 4;
  if (!year_ok || text.size() != position + 6 || text[position] != '-' ||
      text[position + 3] != '-' || !is_digit(text[position + 1]) || !is_digit(text[position + 2]) ||
      !is_digit(text[position + 4]) || !is_digit(text[position + 5])) {
    return false;
  }
  std::int64_t year = 0;
  for (std::size_t index = year_start; index < year_start + year_digits; ++index) {
    year = year * 10 + (text[index] - '0');
  }
  if (sign == '-') year = -year;
  const auto pair = [&text](std::size_t at) {
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const std::optional<std::int64_t> days = valid_days(year, pair(position + 1), pair(position + 4));
  return days && *days >= std::numeric_limits<std::int32_t>::min() &&
         *days <= std::numeric_limits<std::int32_t>::max();
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  const std::optional<TimestampFields> fields = timestamp_fields(text);
  if (!fields) return std::nullopt;
  const std::array<std::int64_t, 9>& segments = fields->segments;
  Zone zone;  // the session time zone, UTC
  if (fields->zone) {
    const std::optional<Zone> named = text_zone(*fields->zone);
    if (!named) return std::nullopt;
    zone = *named;
  }
  if (segments[3] > 23 || segments[4] > 59 || segments[5] > 59) return std::nullopt;
  std::int64_t days = 0;
  if (fields->just_time) {
    // LocalDate.now(zone): a time alone is today's.
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    days = floor_div(now + zone.offset_at(now), kSecondsPerDay);
  } else {
    const std::optional<std::int64_t> date = valid_days(segments[0], segments[1], segments[2]);
    if (!date) return std::nullopt;
    days = *date;
  }
  // ZonedDateTime.of(LocalDateTime, zone): a local time in a gap moves forward, one in an
  // overlap takes the earlier offset.
  const std::int64_t seconds = zone.epoch_second_of_local(
      days * kSecondsPerDay + segments[3] * 3600 + segments[4] * 60 + segments[5]);
  // Instant to microseconds fails beyond the 64-bit range (Math.multiplyExact, addExact).
  const Int128 micros = static_cast<Int128>(seconds) * kMicrosPerSecond + segments[6];
  if (micros > std::numeric_limits<std::int64_t>::max() ||
      micros < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(micros);
}

}  // namespace kafkasink::detail
