#include "progress_display.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace kafkasink::tool {

namespace {

// A write shorter than this gets no bar: it would only flicker.
constexpr std::chrono::milliseconds kBarDelay(1000);
constexpr std::size_t kBarWidth = 30;

double rate(std::size_t count, std::chrono::duration<double> elapsed) {
  return elapsed.count() > 0 ? static_cast<double>(count) / elapsed.count() : 0.0;
}

}  // namespace

std::string with_thousands(std::size_t number) {
  std::string digits = std::to_string(number);
  for (std::ptrdiff_t at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), 1, ',');
  }
  return digits;
}

ProgressDisplay::ProgressDisplay(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressDisplay::update(const WriteProgress& progress) {
  if (!enabled_ || progress.done) return;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  if (elapsed < kBarDelay || progress.records_total == 0) return;
  const std::size_t done = progress.records_acknowledged + progress.records_failed;
  const std::size_t filled = kBarWidth * done / progress.records_total;
  fmt::print(
      stderr, "\r[{:#<{}}{: <{}}] {:3}% {}/{} rows acknowledged, {} rows/s\x1b[K", "", filled, "",
      kBarWidth - filled, 100 * done / progress.records_total, with_thousands(done),
      with_thousands(progress.records_total),
      with_thousands(static_cast<std::size_t>(rate(progress.records_acknowledged, elapsed))));
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressDisplay::clear() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::string summary_line(const WriteProgress& progress,
                         const std::string& topic,
                         std::chrono::duration<double> elapsed) {
  const std::string rows =
      progress.records_acknowledged == progress.records_total
          ? with_thousands(progress.records_total)
          : fmt::format("{} of {}", with_thousands(progress.records_acknowledged),
                        with_thousands(progress.records_total));
  return fmt::format(
      "wrote {} rows ({} bytes) to topic '{}' in {:.2f} s: {} rows/s", rows,
      with_thousands(progress.bytes_acknowledged), topic, elapsed.count(),
      with_thousands(static_cast<std::size_t>(rate(progress.records_acknowledged, elapsed))));
}

}  // namespace kafkasink::tool
