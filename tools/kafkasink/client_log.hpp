// Where the tool puts librdkafka's log lines: with --verbose each on standard error as it
// comes, else counted, and one line at the end says how many warnings and errors there were
// and the last of them. So the tool's own messages are not buried in `%3|...` lines, and
// nothing librdkafka said is lost.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include <kafkasink/logging.hpp>

namespace kafkasink::tool {

class ClientLog {
 public:
  /// Installs itself as the library's log handler, until destroyed. `command` prefixes lines.
  ClientLog(std::string command, bool verbose);
  ~ClientLog();
  ClientLog(const ClientLog&) = delete;
  ClientLog& operator=(const ClientLog&) = delete;

  /// Prints the summary line of the warnings and errors not shown, if there were any.
  void print_summary();

 private:
  void log(const LogRecord& record);

  std::string command_;
  bool verbose_;
  std::mutex mutex_;
  std::size_t hidden_ = 0;
  std::string last_hidden_;
};

}  // namespace kafkasink::tool
