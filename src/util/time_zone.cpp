#include "util/time_zone.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "util/datetime.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// ---------------------------------------------------------------------------------------------
// TZif, RFC 8536.

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool has(std::size_t count) const { return bytes_.size() - position_ >= count; }
  std::size_t position() const { return position_; }
  void skip(std::size_t count) { position_ += count; }

  std::int64_t big_endian(std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t k = 0; k < width; ++k) {
      value = (value << 8U) | static_cast<unsigned char>(bytes_[position_ + k]);
    }
    position_ += width;
    // Sign-extend from `width` bytes.
    const unsigned shift = static_cast<unsigned>(64 - 8 * width);
    return static_cast<std::int64_t>(value << shift) >> shift;
  }

  std::string_view rest() const { return bytes_.substr(position_); }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

struct TzifHeader {
  char version;
  std::array<std::int64_t, 6> counts;  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
};

std::optional<TzifHeader> read_header(ByteReader& reader) {
  constexpr std::size_t kHeaderSize = 44;
  if (!reader.has(kHeaderSize) || reader.rest().substr(0, 4) != "TZif") return std::nullopt;
  TzifHeader header{};
  header.version = reader.rest()[4];
  reader.skip(20);
  for (std::int64_t& count : header.counts) {
    count = reader.big_endian(4);
    if (count < 0) return std::nullopt;
  }
  return header;
}

std::size_t data_size(const TzifHeader& header, std::size_t time_size) {
  const auto [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = header.counts;
  return static_cast<std::size_t>(timecnt) * (time_size + 1) +
         static_cast<std::size_t>(typecnt) * 6 + static_cast<std::size_t>(charcnt) +
         static_cast<std::size_t>(leapcnt) * (time_size + 4) + static_cast<std::size_t>(isstdcnt) +
         static_cast<std::size_t>(isutcnt);
}

// ---------------------------------------------------------------------------------------------
// The POSIX TZ string of a TZif footer (RFC 8536 section 3.3, POSIX.1-2017 section 8.3).

class PosixReader {
 public:
  explicit PosixReader(std::string_view text) : text_(text) {}

  bool at_end() const { return position_ == text_.size(); }
  bool take(char c) {
    if (position_ < text_.size() && text_[position_] == c) {
      ++position_;
      return true;
    }
    return false;
  }

  // `<+0330>` or letters, at least three.
  bool name() {
    if (take('<')) {
      const std::size_t close = text_.find('>', position_);
      if (close == std::string_view::npos) return false;
      position_ = close + 1;
      return true;
    }
    const std::size_t start = position_;
    while (position_ < text_.size() && ((text_[position_] >= 'A' && text_[position_] <= 'Z') ||
                                        (text_[position_] >= 'a' && text_[position_] <= 'z'))) {
      ++position_;
    }
    return position_ - start >= 3;
  }

  // [+-]h[h...][:mm[:ss]], in seconds.
  std::optional<std::int32_t> time() {
    int sign = 1;
    if (take('-')) {
      sign = -1;
    } else {
      take('+');
    }
    std::optional<int> hours = number(3);
    if (!hours) return std::nullopt;
    std::int32_t seconds = *hours * 3600;
    if (take(':')) {
      const std::optional<int> minutes = number(2);
      if (!minutes) return std::nullopt;
      seconds += *minutes * 60;
      if (take(':')) {
        const std::optional<int> secs = number(2);
        if (!secs) return std::nullopt;
        seconds += *secs;
      }
    }
    return sign * seconds;
  }

  std::optional<ZoneRules::YearlyRule::Day> day() {
    ZoneRules::YearlyRule::Day day{'n', 0, 0, 0};
    if (take('M')) {
      const std::optional<int> month = number(2);
      if (!month || !take('.')) return std::nullopt;
      const std::optional<int> week = number(1);
      if (!week || !take('.')) return std::nullopt;
      const std::optional<int> weekday = number(1);
      if (!weekday || *month < 1 || *month > 12 || *week < 1 || *week > 5 || *weekday > 6) {
        return std::nullopt;
      }
      day = {'M', *month, *week, *weekday};
    } else {
      const char form = take('J') ? 'J' : 'n';
      const std::optional<int> value = number(3);
      if (!value || *value > 365 || (form == 'J' && *value < 1)) return std::nullopt;
      day = {form, *value, 0, 0};
    }
    return day;
  }

 private:
  std::optional<int> number(std::size_t max_digits) {
    int value = 0;
    std::size_t digits = 0;
    while (position_ < text_.size() && digits < max_digits && text_[position_] >= '0' &&
           text_[position_] <= '9') {
      value = value * 10 + (text_[position_++] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

// Nothing for a TZ string without daylight saving (or one this reader cannot follow): the
// last transition's offset then stays.
std::optional<ZoneRules::YearlyRule> yearly_rule(std::string_view tz) {
  PosixReader reader(tz);
  if (!reader.name()) return std::nullopt;
  const std::optional<std::int32_t> standard = reader.time();
  if (!standard || reader.at_end() || !reader.name()) return std::nullopt;
  ZoneRules::YearlyRule rule{};
  // POSIX counts hours west of Greenwich; java.time and TZif count east.
  rule.standard = -*standard;
  rule.daylight = rule.standard + 3600;
  if (!reader.take(',')) {
    const std::optional<std::int32_t> daylight = reader.time();
    if (!daylight || !reader.take(',')) return std::nullopt;
    rule.daylight = -*daylight;
  }
  constexpr std::int32_t kDefaultTime = 2 * 3600;
  const std::optional<ZoneRules::YearlyRule::Day> start = reader.day();
  if (!start) return std::nullopt;
  rule.start = *start;
  rule.start_time = kDefaultTime;
  if (reader.take('/')) {
    const std::optional<std::int32_t> time = reader.time();
    if (!time) return std::nullopt;
    rule.start_time = *time;
  }
  if (!reader.take(',')) return std::nullopt;
  const std::optional<ZoneRules::YearlyRule::Day> end = reader.day();
  if (!end) return std::nullopt;
  rule.end = *end;
  rule.end_time = kDefaultTime;
  if (reader.take('/')) {
    const std::optional<std::int32_t> time = reader.time();
    if (!time) return std::nullopt;
    rule.end_time = *time;
  }
  if (!reader.at_end()) return std::nullopt;
  return rule;
}

std::int64_t day_in_year(const ZoneRules::YearlyRule::Day& day, std::int64_t year) {
  const std::int64_t january_first = days_from_civil(year, 1, 1);
  if (day.form == 'J') {
    // Jn counts 1 to 365 and never names February 29.
    return january_first + day.number - 1 + (is_leap_year(year) && day.number >= 60 ? 1 : 0);
  }
  if (day.form == 'n') return january_first + day.number;
  constexpr std::array<int, 12> kMonthLengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const auto month = static_cast<unsigned>(day.number);
  const std::int64_t first = days_from_civil(year, month, 1);
  // 1970-01-01 was a Thursday; POSIX counts weekdays from Sunday = 0.
  const std::int64_t first_weekday = ((first + 4) % 7 + 7) % 7;
  std::int64_t result = first + (day.weekday - first_weekday + 7) % 7 + (day.week - 1) * 7;
  const int length = kMonthLengths.at(month - 1) + (month == 2 && is_leap_year(year) ? 1 : 0);
  // Week 5 is the month's last such weekday.
  while (result >= first + length) result -= 7;
  return result;
}

// The first transition whose later local boundary lies after `local`, or end. The boundaries
// of successive transitions ascend, so this is a partition point.
template <typename Iterator>
Iterator first_transition_after_local(Iterator begin, Iterator end, std::int64_t local) {
  return std::partition_point(begin, end, [local](const ZoneRules::Transition& transition) {
    return local >= transition.at + std::max(transition.before, transition.after);
  });
}

// ---------------------------------------------------------------------------------------------
// The cache of zones read.

// java.time's ZoneRegion.checkName: `[A-Za-z][A-Za-z0-9~/._+-]+`; a `..` component would also
// leave the tz folder.
bool is_region_id(std::string_view id) {
  if (id.size() < 2) return false;
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!letter(id.front())) return false;
  for (const char c : id) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '~' && c != '/' && c != '.' && c != '_' &&
        c != '+' && c != '-') {
      return false;
    }
  }
  std::size_t start = 0;
  while (start <= id.size()) {
    const std::size_t slash = std::min(id.find('/', start), id.size());
    const std::string_view component = id.substr(start, slash - start);
    if (component.empty() || component == "." || component == "..") return false;
    start = slash + 1;
  }
  return true;
}

// Files of the tz folder that are not zones of Java's tz database: the POSIX and leap-second
// copies, the system's own choice, zic's placeholder, and ROC, which Java's database leaves out.
bool is_excluded(std::string_view id) {
  return id.starts_with("posix/") || id.starts_with("right/") || id == "posixrules" ||
         id == "localtime" || id == "Factory" || id == "ROC";
}

std::string zoneinfo_folder() {
  const char* folder = std::getenv("TZDIR");
  return folder != nullptr && *folder != '\0' ? std::string(folder)
                                              : std::string("/usr/share/zoneinfo");
}

std::optional<ZoneRules> load_zone(std::string_view id) {
  constexpr std::streamsize kLargestTzif = 1 << 20;
  std::ifstream in(zoneinfo_folder() + "/" + std::string(id), std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes(static_cast<std::size_t>(kLargestTzif), '\0');
  in.read(bytes.data(), kLargestTzif);
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return ZoneRules::from_tzif(bytes);
}

class ZoneCache {
 public:
  const ZoneRules* find(std::string_view id) {
    const std::string key(id);
    {
      const std::shared_lock lock(mutex_);
      if (const auto found = zones_.find(key); found != zones_.end()) return found->second.get();
    }
    std::optional<ZoneRules> rules = load_zone(id);
    const std::unique_lock lock(mutex_);
    if (const auto found = zones_.find(key); found != zones_.end()) return found->second.get();
    if (!rules) {
      // Text can name endless unknown zones: remember only so many.
      constexpr std::size_t kMostUnknown = 1024;
      if (unknown_ < kMostUnknown) {
        ++unknown_;
        zones_.emplace(key, nullptr);
      }
      return nullptr;
    }
    return zones_.emplace(key, std::make_unique<const ZoneRules>(std::move(*rules)))
        .first->second.get();
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<const ZoneRules>> zones_;
  std::size_t unknown_ = 0;
};

}  // namespace

std::optional<ZoneRules> ZoneRules::from_tzif(std::string_view bytes) {
  ByteReader reader(bytes);
  std::optional<TzifHeader> header = read_header(reader);
  if (!header) return std::nullopt;
  std::size_t time_size = 4;
  if (header->version >= '2') {
    // Skip the 32-bit data to the 64-bit header and data, and the footer after them.
    const std::size_t legacy = data_size(*header, 4);
    if (!reader.has(legacy)) return std::nullopt;
    reader.skip(legacy);
    header = read_header(reader);
    if (!header) return std::nullopt;
    time_size = 8;
  }
  const auto [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = header->counts;
  if (typecnt == 0 || !reader.has(data_size(*header, time_size))) return std::nullopt;
  std::vector<std::int64_t> times(static_cast<std::size_t>(timecnt));
  for (std::int64_t& time : times) time = reader.big_endian(time_size);
  std::vector<std::size_t> type_of(static_cast<std::size_t>(timecnt));
  for (std::size_t& type : type_of) {
    type = static_cast<std::size_t>(reader.big_endian(1) & 0xFF);
    if (type >= static_cast<std::size_t>(typecnt)) return std::nullopt;
  }
  std::vector<std::int32_t> offsets(static_cast<std::size_t>(typecnt));
  for (std::int32_t& offset : offsets) {
    offset = static_cast<std::int32_t>(reader.big_endian(4));
    reader.skip(2);  // isdst and the abbreviation: java.time keeps neither for an offset
  }
  reader.skip(static_cast<std::size_t>(charcnt) +
              static_cast<std::size_t>(leapcnt) * (time_size + 4) +
              static_cast<std::size_t>(isstdcnt) + static_cast<std::size_t>(isutcnt));

  ZoneRules rules;
  // Before the first transition the first time type applies (RFC 8536 section 3.2).
  rules.initial_ = offsets.front();
  std::int32_t current = rules.initial_;
  for (std::size_t k = 0; k < times.size(); ++k) {
    const std::int32_t next = offsets[type_of[k]];
    // TZif also records changes of name or of the daylight flag alone; java.time's rules
    // have only changes of offset.
    if (next == current) continue;
    if (!rules.transitions_.empty() && times[k] <= rules.transitions_.back().at) {
      return std::nullopt;
    }
    rules.transitions_.push_back({times[k], current, next});
    current = next;
  }
  rules.final_ = current;
  if (time_size == 8) {
    const std::string_view footer = reader.rest();
    if (footer.size() >= 2 && footer.front() == '\n') {
      const std::size_t close = footer.find('\n', 1);
      if (close != std::string_view::npos) rules.rule_ = yearly_rule(footer.substr(1, close - 1));
    }
  }
  return rules;
}

std::vector<ZoneRules::Transition> ZoneRules::yearly_transitions(std::int64_t year) const {
  const YearlyRule& rule = *rule_;
  const Transition start{
      day_in_year(rule.start, year) * kSecondsPerDay + rule.start_time - rule.standard,
      rule.standard, rule.daylight};
  const Transition end{day_in_year(rule.end, year) * kSecondsPerDay + rule.end_time - rule.daylight,
                       rule.daylight, rule.standard};
  if (start.at <= end.at) return {start, end};
  return {end, start};
}

std::int32_t ZoneRules::offset_at(std::int64_t epoch_second) const {
  // At a transition's instant its offset after applies.
  const auto not_after = [epoch_second](const Transition& transition) {
    return transition.at <= epoch_second;
  };
  const auto found = std::partition_point(transitions_.begin(), transitions_.end(), not_after);
  if (found != transitions_.end()) return found->before;
  if (!rule_) return final_;
  const std::int64_t local_days = floor_div(epoch_second + rule_->standard, kSecondsPerDay);
  const std::vector<Transition> year = yearly_transitions(civil_from_days(local_days).year);
  const auto in_year = std::partition_point(year.begin(), year.end(), not_after);
  return in_year != year.end() ? in_year->before : year.back().after;
}

std::int64_t ZoneRules::epoch_second_of_local(std::int64_t local_second) const {
  // The first transition whose local boundaries are not both behind `local` decides: before
  // it, its offset before applies; in its gap, ofLocal moves forward by the gap, which is the
  // same instant as the offset before; in its overlap, the earlier offset is the one before.
  const auto found =
      first_transition_after_local(transitions_.begin(), transitions_.end(), local_second);
  if (found != transitions_.end()) return local_second - found->before;
  if (!rule_) return local_second - final_;
  // java.time takes the transitions of the local date's year from the last rules.
  const std::vector<Transition> year =
      yearly_transitions(civil_from_days(floor_div(local_second, kSecondsPerDay)).year);
  const auto in_year = first_transition_after_local(year.begin(), year.end(), local_second);
  return local_second - (in_year != year.end() ? in_year->before : year.back().after);
}

const ZoneRules* find_region_zone(std::string_view id) {
  if (!is_region_id(id) || is_excluded(id)) return nullptr;
  static ZoneCache cache;
  return cache.find(id);
}

}  // namespace kafkasink::detail
