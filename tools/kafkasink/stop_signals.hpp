// Ctrl-C (SIGINT) and SIGTERM during `kafkasink write`: the first stops the write in order
// (no more records sent, a short wait for those in flight, the usual summary), the second
// ends the process at once. Exit codes are the shell's for a death by signal: 130 for SIGINT,
// 143 for SIGTERM.
#pragma once

#include <atomic>
#include <stop_token>
#include <thread>

namespace kafkasink::tool {

class StopSignals {
 public:
  /// Blocks SIGINT and SIGTERM in this thread, and so in every thread started after (which
  /// inherit the mask), and starts the thread that waits for them. Make it before anything
  /// that starts threads (a session, a broker).
  StopSignals();
  /// Stops the waiting thread; signals stay blocked (the process is about to end).
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Stopped by the first signal.
  std::stop_token token() const { return stop_.get_token(); }

  /// The first signal received, or 0.
  int received() const { return received_.load(); }

  /// The exit code for the signal received: 128 + its number.
  int exit_code() const { return 128 + received_.load(); }

 private:
  std::stop_source stop_;
  std::atomic<int> received_{0};
  std::jthread waiter_;  // last: joined before the members it uses go
};

}  // namespace kafkasink::tool
