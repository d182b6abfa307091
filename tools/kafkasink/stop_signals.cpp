#include "stop_signals.hpp"

#include <csignal>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

namespace kafkasink::tool {

namespace {

sigset_t stop_signal_set() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

const char* signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

}  // namespace

StopSignals::StopSignals() {
  const sigset_t signals = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  waiter_ = std::jthread([this](const std::stop_token& done) {
    const sigset_t waited = stop_signal_set();
    // sigtimedwait, so that the thread notices `done` within a tenth of a second.
    const timespec slice{.tv_sec = 0, .tv_nsec = 100'000'000};
    while (!done.stop_requested()) {
      const int signal = sigtimedwait(&waited, nullptr, &slice);
      if (signal <= 0) continue;
      if (received_.load() != 0) {
        fmt::print(stderr,
                   "\nkafkasink write: {} again: exiting at once; records in flight may "
                   "or may not have reached Kafka\n",
                   signal_name(signal));
        std::fflush(stderr);
        _exit(128 + signal);
      }
      received_.store(signal);
      fmt::print(stderr,
                 "\nkafkasink write: {}: stopping; waiting a few seconds for the records "
                 "in flight (again to exit at once)\n",
                 signal_name(signal));
      std::fflush(stderr);
      stop_.request_stop();
    }
  });
}

StopSignals::~StopSignals() {
  waiter_.request_stop();
}

}  // namespace kafkasink::tool
