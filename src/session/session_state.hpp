// What a Session handle points to. Private to the library.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

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

/// The state a frame writes through: its own session, or the default session.
std::shared_ptr<SessionState> session_or_default(const std::shared_ptr<SessionState>& session);

}  // namespace kafkasink::detail
