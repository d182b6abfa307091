// Region time zones (`Europe/Paris`, `America/Los_Angeles`) from the system's tz database, for
// the zone names Spark accepts in timestamp text.
//
// Java reads its own copy of the tz database; kafkasink reads the compiled TZif files the
// system keeps in /usr/share/zoneinfo (or $TZDIR), RFC 8536, versions 1 to 4: the transitions
// it lists, then the POSIX TZ rule of its footer for the years after. A local time that a
// transition skips or repeats resolves as java.time's ZonedDateTime.ofLocal does, which is what
// Spark's stringToTimestamp calls: in a gap it moves forward by the gap's length, in an overlap
// it takes the earlier offset. A zone is read once and kept for the life of the process.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kafkasink::detail {

/// The offsets of one region over time, in seconds east of UTC.
class ZoneRules {
 public:
  /// The rules of a TZif file's bytes, or nothing when they are not a TZif file.
  static std::optional<ZoneRules> from_tzif(std::string_view bytes);

  /// The offset in force at `epoch_second` (ZoneRules.getOffset(Instant)).
  std::int32_t offset_at(std::int64_t epoch_second) const;

  /// The instant of the local date-time `local_second` (seconds since 1970-01-01T00:00 on the
  /// local clock), as ZonedDateTime.ofLocal(local, zone, null).toEpochSecond().
  std::int64_t epoch_second_of_local(std::int64_t local_second) const;

  /// One change of offset: at `at` (UTC), from `before` to `after`.
  struct Transition {
    std::int64_t at;
    std::int32_t before;
    std::int32_t after;
  };

  /// The yearly rule of a POSIX TZ string with daylight saving (`CET-1CEST,M3.5.0,M10.5.0/3`).
  struct YearlyRule {
    /// A day of the year as POSIX writes it: `Jn` (1-365, no Feb 29), `n` (0-365) or `Mm.w.d`.
    struct Day {
      char form;  // 'J', 'n' or 'M'
      int number;
      int week;
      int weekday;
    };
    std::int32_t standard;
    std::int32_t daylight;
    Day start;
    std::int32_t start_time;  // local standard time, seconds (may be negative or past 24h)
    Day end;
    std::int32_t end_time;  // local daylight time
  };

 private:
  std::vector<Transition> yearly_transitions(std::int64_t year) const;
  std::int64_t resolve_local(const std::vector<Transition>& transitions,
                             std::int64_t local,
                             bool& found) const;

  std::int32_t initial_ = 0;
  std::vector<Transition> transitions_;  // offset changes only, ascending
  std::optional<YearlyRule> rule_;       // after the last transition, when the footer has one
  std::int32_t final_ = 0;               // the offset after the last transition without a rule
};

/// The rules of region `id` (`Europe/Paris`), read from the tz database on first use and kept;
/// null when the system has no such zone or `id` is not a region id as java.time spells them.
/// Safe to call from any thread.
const ZoneRules* find_region_zone(std::string_view id);

}  // namespace kafkasink::detail
