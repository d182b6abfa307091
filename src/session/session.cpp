#include <limits>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/session.hpp>

#include "session/session_state.hpp"
#include "util/duration.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

constexpr std::string_view kCacheTimeoutSetting = "spark.kafka.producer.cache.timeout";
constexpr std::string_view kEvictorIntervalSetting =
    "spark.kafka.producer.cache.evictorThreadRunInterval";

std::chrono::milliseconds duration_setting(const std::map<std::string, std::string>& settings,
                                           std::string_view key,
                                           std::chrono::milliseconds fallback) {
  const auto found = settings.find(std::string(key));
  if (found == settings.end()) return fallback;
  const auto parsed = detail::parse_duration(found->second);
  if (!parsed) {
    throw IllegalArgumentError(
        std::string(key),
        fmt::format("{} should be a duration such as 500ms, 10s, 10m or 1h, but was '{}'", key,
                    found->second));
  }
  return *parsed;
}

ProducerPool::Options pool_options(const std::map<std::string, std::string>& settings) {
  ProducerPool::Options options;
  options.cache_timeout = duration_setting(settings, kCacheTimeoutSetting, options.cache_timeout);
  options.evictor_interval =
      duration_setting(settings, kEvictorIntervalSetting, options.evictor_interval);
  return options;
}

std::mutex& default_session_mutex() {
  static std::mutex mutex;  // trivially destructible
  return mutex;
}

// Never destroyed: a session destroyed during static destruction would flush and close its
// producers after librdkafka's and the log handler's statics may be gone. A program flushes
// the default session with stop(); save() and the streaming queries wait for their records.
std::shared_ptr<detail::SessionState>& default_session_slot() {
  static auto* const state = new std::shared_ptr<detail::SessionState>();
  return *state;
}

}  // namespace

namespace detail {

std::optional<std::int32_t> min_batches_to_retain(
    const std::map<std::string, std::string>& settings) {
  const auto found = settings.find(std::string(kMinBatchesToRetainSetting));
  if (found == settings.end()) return std::nullopt;
  const std::optional<std::int64_t> count = parse_long(trim(found->second));
  if (!count || *count < std::numeric_limits<std::int32_t>::min() ||
      *count > std::numeric_limits<std::int32_t>::max()) {
    throw IllegalArgumentError(
        found->first, fmt::format("{} should be int, but was {}", found->first, found->second));
  }
  return static_cast<std::int32_t>(*count);
}

SessionState::SessionState(std::map<std::string, std::string> settings_in)
    : settings(std::move(settings_in)),
      pool_(std::make_unique<ProducerPool>(pool_options(settings))) {
  (void)min_batches_to_retain(settings);  // Spark refuses a malformed int when it is set
}

SessionState::~SessionState() {
  stop();
}

ProducerPool& SessionState::pool() {
  if (stopped.load()) {
    throw IllegalArgumentError("", "The session was stopped; create a new one to write again.");
  }
  return *pool_;
}

void SessionState::stop() {
  if (!stopped.exchange(true)) pool_->close();
}

std::shared_ptr<SessionState> session_or_default(const std::shared_ptr<SessionState>& session) {
  if (session) return session;  // a stopped session reports itself as stopped when used
  return Session::default_session().state();
}

}  // namespace detail

Session::Session(std::shared_ptr<detail::SessionState> state) : state_(std::move(state)) {}

Session::Builder Session::builder() {
  return {};
}

Session Session::default_session() {
  return Builder().get_or_create();
}

DataFrameReader Session::read() const {
  return DataFrameReader(state_);
}

DataFrame Session::create_data_frame(Schema schema, const std::vector<Row>& rows) const {
  DataFrame frame = DataFrame::from_rows(std::move(schema), rows);
  return {frame.schema(), frame.partitions(), state_};
}

ProducerPool& Session::producer_pool() const {
  return state_->pool();
}

std::optional<std::string> Session::conf(const std::string& key) const {
  const auto found = state_->settings.find(key);
  if (found == state_->settings.end()) return std::nullopt;
  return found->second;
}

void Session::stop() {
  state_->stop();
}

bool Session::is_stopped() const {
  return state_->stopped.load();
}

Session::Builder& Session::Builder::config(std::string key, std::string value) {
  settings_[std::move(key)] = std::move(value);
  return *this;
}

Session::Builder& Session::Builder::app_name(std::string name) {
  return config("spark.app.name", std::move(name));
}

Session Session::Builder::get_or_create() {
  const std::lock_guard lock(default_session_mutex());
  std::shared_ptr<detail::SessionState>& slot = default_session_slot();
  if (!slot || slot->stopped.load()) {
    slot = std::make_shared<detail::SessionState>(settings_);
  } else if (!settings_.empty()) {
    // Spark's SparkSession.Builder.getOrCreate says the same of an existing session.
    detail::emit_log({.level = 4,
                      .facility = "SESSION",
                      .client = "kafkasink",
                      .message = "Using an existing session; settings given to the builder "
                                 "(producer pool settings among them) take effect only when a "
                                 "session is created."});
  }
  return Session(slot);
}

Session Session::Builder::create() {
  return Session(std::make_shared<detail::SessionState>(settings_));
}

}  // namespace kafkasink
