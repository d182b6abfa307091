#include "util/log.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "util/redact.hpp"

namespace kafkasink {
namespace {

// A shared_ptr, so that a handler replaced while a line is being logged stays alive for it.
std::mutex handler_mutex;
std::shared_ptr<const LogHandler> installed_handler;

}  // namespace

void set_log_handler(LogHandler handler) {
  auto shared = handler ? std::make_shared<const LogHandler>(std::move(handler)) : nullptr;
  const std::lock_guard lock(handler_mutex);
  installed_handler = std::move(shared);
}

namespace detail {

void emit_log(const LogRecord& record) noexcept {
  try {
    std::shared_ptr<const LogHandler> handler;
    {
      const std::lock_guard lock(handler_mutex);
      handler = installed_handler;
    }
    if (handler) {
      (*handler)(record);
      return;
    }
    // librdkafka's rd_kafka_log_print format.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
    fmt::print(stderr, "%{}|{}.{:03}|{}|{}| {}\n", record.level, milliseconds / 1000,
               milliseconds % 1000, record.facility, record.client, record.message);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a log line must never take a client down
  }
}

void emit_librdkafka_log(const rd_kafka_t* handle,
                         int level,
                         const char* facility,
                         const char* text,
                         const std::map<std::string, std::string>* secrets) noexcept {
  try {
    LogRecord record;
    record.level = level;
    record.facility = facility != nullptr ? facility : "";
    record.client = handle != nullptr ? rd_kafka_name(handle) : "";
    record.message = text != nullptr ? text : "";
    if (secrets != nullptr) record.message = scrub_secrets(std::move(record.message), *secrets);
    emit_log(record);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a log line must never take a client down
  }
}

void route_logs(rd_kafka_conf_t* configuration) {
  rd_kafka_conf_set_log_cb(configuration, [](const rd_kafka_t* handle, int level,
                                             const char* facility, const char* text) {
    const auto* secrets =
        static_cast<const std::map<std::string, std::string>*>(rd_kafka_opaque(handle));
    emit_librdkafka_log(handle, level, facility, text, secrets);
  });
}

}  // namespace detail
}  // namespace kafkasink
