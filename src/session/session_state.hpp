// What a Session handle points to. Private to the library.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/producer_pool.hpp>

namespace kafkasink::detail {

struct SessionState {
  explicit SessionState(std::map<std::string, std::string> settings);
  ~SessionState();
  SessionState(const SessionState&) = delete;
  SessionState& operator=(const SessionState&) = delete;

  /// The pool, or IllegalArgumentError when the session was stopped.
  ProducerPool& pool();

  void stop();

  const std::map<std::string, std::string> settings;
  std::atomic<bool> stopped{false};

 private:
  std::unique_ptr<ProducerPool> pool_;
};

inline constexpr std::string_view kMinBatchesToRetainSetting =
    "spark.sql.streaming.minBatchesToRetain";

/// The session setting `spark.sql.streaming.minBatchesToRetain` as Spark's int setting reads
/// it (trimmed, then Java's Integer.parseInt), or nothing when it is not set. Throws
/// IllegalArgumentError with Spark's text when it is not an int; whether it is positive is the
/// query's to check, as in Spark.
std::optional<std::int32_t> min_batches_to_retain(
    const std::map<std::string, std::string>& settings);

/// The state a frame writes through: its own session, or the default session.
std::shared_ptr<SessionState> session_or_default(const std::shared_ptr<SessionState>& session);

}  // namespace kafkasink::detail
