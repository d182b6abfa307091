// Where librdkafka's log lines go.
//
// librdkafka logs connection failures, broker state changes and the like (`FAIL`, `ERROR`,
// `TERMINATE`, ...). By default kafkasink prints them to standard error as librdkafka would
// (`%3|1700000000.123|FAIL|rdkafka#producer-1| ...`); a program with its own logging, or a
// command-line tool that keeps its standard error for its own words, installs a handler.
// Every line passes secrets-scrubbed: no configured secret appears in it. kafkasink's own few
// warnings (facility `SESSION`, client `kafkasink`) take the same way.
#pragma once

#include <functional>
#include <string>

namespace kafkasink {

/// One log line of a Kafka client.
struct LogRecord {
  int level = 6;         ///< syslog level: 0 emergency ... 3 error, 4 warning, ..., 7 debug
  std::string facility;  ///< librdkafka's facility, e.g. `FAIL`, `BROKER`
  std::string client;    ///< the client's name, e.g. `rdkafka#producer-1`
  std::string message;   ///< the text, without a trailing newline
};

/// Receives log lines; called from the clients' internal threads, so it must be thread-safe.
using LogHandler = std::function<void(const LogRecord&)>;

/// Routes the log lines of every Kafka client kafkasink creates from now on (and of those
/// already running) to `handler`. An empty handler restores the default, standard error.
void set_log_handler(LogHandler handler);

}  // namespace kafkasink
