// The one place every Kafka client's log line passes: the handler of set_log_handler, or
// standard error in librdkafka's own format.
#pragma once

#include <map>
#include <string>

#include <librdkafka/rdkafka.h>

#include <kafkasink/logging.hpp>

namespace kafkasink::detail {

/// Hands `record` to the installed handler, or prints it to standard error. Never throws.
void emit_log(const LogRecord& record) noexcept;

/// A librdkafka log line as a LogRecord, with every secret value of `secrets` (if given)
/// scrubbed, handed to emit_log.
void emit_librdkafka_log(const rd_kafka_t* handle,
                         int level,
                         const char* facility,
                         const char* text,
                         const std::map<std::string, std::string>* secrets) noexcept;

/// Routes the log lines of clients created with `configuration` through emit_log. The
/// configuration's opaque, if set, must be the `const std::map<std::string, std::string>*` of
/// settings whose secrets to scrub, living as long as the client.
void route_logs(rd_kafka_conf_t* configuration);

}  // namespace kafkasink::detail
