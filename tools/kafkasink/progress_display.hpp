// What `kafkasink write` shows while and after it writes: a progress bar on a terminal and a
// one-line summary.
//
// The bar appears only when standard error is a terminal and the write has run for about a
// second, so that quick writes and logs captured to files stay clean; the summary line is
// always printed.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <kafkasink/writer.hpp>

namespace kafkasink::tool {

/// `1234567` as `1,234,567`.
std::string with_thousands(std::size_t number);

/// Draws DataFrameWriter progress reports as a bar with rows/s on standard error.
class ProgressDisplay {
 public:
  /// `enabled` false draws nothing (standard error is not a terminal).
  explicit ProgressDisplay(bool enabled);

  /// For DataFrameWriter::on_progress.
  void update(const WriteProgress& progress);

  /// Erases the bar, if one was drawn.
  void clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

/// `wrote 999 rows (123,456 bytes) to topic 'census' in 0.42 s: 2,378 rows/s`, or `wrote 10
/// of 999 rows ...` when not every record was acknowledged; bytes are the key and value bytes
/// of the acknowledged records.
std::string summary_line(const WriteProgress& progress,
                         const std::string& topic,
                         std::chrono::duration<double> elapsed);

}  // namespace kafkasink::tool
