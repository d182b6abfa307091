#include "client_log.hpp"

#include <cstdio>
#include <utility>

#include <fmt/format.h>

namespace kafkasink::tool {

namespace {

// syslog's levels, as librdkafka uses them.
constexpr int kWarningLevel = 4;

const char* level_name(int level) {
  if (level <= 3) return "error";
  if (level == kWarningLevel) return "warning";
  if (level <= 6) return "notice";
  return "debug";
}

}  // namespace

ClientLog::ClientLog(std::string command, bool verbose)
    : command_(std::move(command)), verbose_(verbose) {
  set_log_handler([this](const LogRecord& record) { log(record); });
}

ClientLog::~ClientLog() {
  set_log_handler({});
}

void ClientLog::log(const LogRecord& record) {
  const std::lock_guard lock(mutex_);
  if (verbose_) {
    fmt::print(stderr, "kafkasink {}: librdkafka {} {}: {}\n", command_, level_name(record.level),
               record.facility, record.message);
    std::fflush(stderr);
    return;
  }
  if (record.level > kWarningLevel) return;
  ++hidden_;
  last_hidden_ =
      fmt::format("{} {}: {}", level_name(record.level), record.facility, record.message);
}

void ClientLog::print_summary() {
  const std::lock_guard lock(mutex_);
  if (hidden_ == 0) return;
  fmt::print(stderr,
             "kafkasink {}: librdkafka logged {} warning(s) or error(s), the last: {} "
             "(--verbose shows them all)\n",
             command_, hidden_, last_hidden_);
  hidden_ = 0;
}

}  // namespace kafkasink::tool
