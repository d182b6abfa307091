#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/producer_pool.hpp>

#include "kafka/producer_config.hpp"
#include "kafka/producer_handle.hpp"
#include "kafka/transactions.hpp"

namespace kafkasink {
namespace {

// How long closing the pool, or evicting an idle producer, waits for queued records.
constexpr std::chrono::milliseconds kCloseTimeout{30'000};

void close_producers(const std::vector<std::shared_ptr<Producer>>& producers) noexcept {
  for (const std::shared_ptr<Producer>& producer : producers) {
    // A transactional producer still being created has no producer yet. A broken producer
    // cannot deliver what it still holds: waiting for it would only delay.
    if (producer == nullptr) continue;
    producer->handle()->close(producer->handle()->is_broken() ? std::chrono::milliseconds(0)
                                                              : kCloseTimeout);
  }
}

[[noreturn]] void throw_closed() {
  throw IllegalArgumentError("", "The producer pool is closed: no producer can be acquired.");
}

}  // namespace

// Spark's InternalKafkaProducerPool, with two changes: librdkafka is never called under the
// mutex (creation is serialized by its own mutex instead), and close() closes the producers.
struct ProducerPool::Impl {
  struct Entry {
    std::shared_ptr<Producer> producer;
    std::size_t references = 0;
    std::optional<Clock::time_point> expires_at;
    // Transactional producers made by acquire_any_transactional: their settings and prefix.
    std::string family;
  };

  explicit Impl(Options pool_options) : options(std::move(pool_options)) {}

  void start_evictor() {
    if (options.evictor_interval <= std::chrono::milliseconds::zero()) return;
    evictor = std::jthread([this](const std::stop_token& stop) { run_evictor(stop); });
  }

  ProducerLease acquire(const ProducerSettings& settings, const std::shared_ptr<Impl>& self);
  ProducerLease acquire_transactional(ProducerSettings settings,
                                      const std::optional<std::string>& exact_id,
                                      const std::string& id_prefix,
                                      const std::shared_ptr<Impl>& self);
  void release(const std::string& key, const Producer* producer) noexcept;
  std::vector<std::shared_ptr<Producer>> take_expired();
  void run_evictor(const std::stop_token& stop);
  void close();

  const Options options;
  mutable std::mutex mutex;
  std::map<std::string, Entry> entries;  // by ProducerConfig::cache_key
  bool closed = false;
  std::condition_variable_any wakeup;

  // Held while creating a producer, so that concurrent first acquires of one configuration
  // create it once, without holding `mutex` across librdkafka calls.
  std::mutex creation_mutex;
  std::mutex close_mutex;
  std::jthread evictor;  // last: joined before the members it uses go
};

ProducerLease ProducerPool::Impl::acquire(const ProducerSettings& settings,
                                          const std::shared_ptr<Impl>& self) {
  if (settings.contains("transactional.id")) {
    throw IllegalArgumentError(
        "transactional.id",
        "Kafka producer setting 'transactional.id' cannot be shared: a transactional producer "
        "serves one transaction at a time. Use ProducerPool::acquire_transactional, or "
        "deliveryGuarantee exactly-once for the writers.");
  }
  detail::ProducerConfig config = detail::ProducerConfig::from_settings(settings);
  std::string key = config.cache_key();
  std::vector<std::shared_ptr<Producer>> retired;
  const auto lease_existing = [&]() -> std::optional<ProducerLease> {
    const std::lock_guard lock(mutex);
    if (closed) {
      throw IllegalArgumentError("", "The producer pool is closed: no producer can be acquired.");
    }
    const auto found = entries.find(key);
    if (found == entries.end()) return std::nullopt;
    if (found->second.producer->handle()->is_broken()) {
      // Spark's pool would hand it out until it idles out; every write would fail. It leaves
      // the pool now; its leases keep it until they end, and the last one closes it.
      if (found->second.references == 0) retired.push_back(std::move(found->second.producer));
      entries.erase(found);
      return std::nullopt;
    }
    ++found->second.references;
    found->second.expires_at.reset();
    return ProducerLease(self, found->second.producer, key);
  };
  std::optional<ProducerLease> existing = lease_existing();
  close_producers(retired);  // outside the lock: closing can block
  if (existing) return std::move(*existing);

  const std::lock_guard creation_lock(creation_mutex);
  if (std::optional<ProducerLease> lease = lease_existing()) return std::move(*lease);
  auto producer =
      std::make_shared<Producer>(std::make_shared<detail::ProducerHandle>(std::move(config)));
  {
    const std::lock_guard lock(mutex);
    if (!closed) {
      entries.emplace(key,
                      Entry{.producer = producer, .references = 1, .expires_at = {}, .family = {}});
      return ProducerLease(self, std::move(producer), std::move(key));
    }
  }
  // close() ran while the producer was being created; it was never shared, close it here.
  producer->handle()->close(kCloseTimeout);
  throw IllegalArgumentError("", "The producer pool is closed: no producer can be acquired.");
}

// With `exact_id`, the producer of that transactional id. Without, any idle producer of the
// family (these settings and `id_prefix`), or a new one named `id_prefix` and a number no
// producer of this process had: ids must differ between configurations and between pools, as
// two producers with one id fence each other. A new producer's entry is reserved (one
// reference, no producer yet) while it is created and its transactions initialized, outside
// the mutex: initializing waits for the coordinator.
ProducerLease ProducerPool::Impl::acquire_transactional(ProducerSettings settings,
                                                        const std::optional<std::string>& exact_id,
                                                        const std::string& id_prefix,
                                                        const std::shared_ptr<Impl>& self) {
  static std::atomic<std::uint64_t> next_number{0};
  std::string family;
  if (!exact_id) {
    const std::string base = detail::ProducerConfig::from_settings(settings).cache_key();
    family = fmt::format("{}:{}{}", id_prefix.size(), id_prefix, base);
  }
  const std::string transactional_id =
      exact_id ? *exact_id : fmt::format("{}{}", id_prefix, next_number++);
  settings.insert_or_assign("transactional.id", transactional_id);
  detail::ProducerConfig config = detail::ProducerConfig::from_settings(settings);
  std::string key = config.cache_key();
  std::vector<std::shared_ptr<Producer>> broken;
  {
    const std::lock_guard lock(mutex);
    if (closed) throw_closed();
    for (auto it = entries.begin(); it != entries.end();) {
      Entry& entry = it->second;
      const bool wanted = exact_id ? it->first == key : !family.empty() && entry.family == family;
      if (!wanted || entry.references > 0 || entry.producer == nullptr) {
        if (wanted && exact_id) return {};  // leased, or being created
        ++it;
        continue;
      }
      if (!exact_id && !entry.producer->handle()->is_closed()) {
        entry.references = 1;
        entry.expires_at.reset();
        return ProducerLease(self, entry.producer, it->first);
      }
      // Replaced by a new producer: one closed after a fatal error (fenced, most often), and
      // an idle one of an exact id, whose holder must start after every earlier transaction
      // of the id is complete (markers written, offsets readable), which only a new
      // producer's initialization waits for.
      broken.push_back(std::move(entry.producer));
      it = entries.erase(it);
    }
    entries.emplace(
        key, Entry{.producer = nullptr, .references = 1, .expires_at = {}, .family = family});
  }
  close_producers(broken);  // outside the mutex: closing flushes
  broken.clear();
  const auto unreserve = [&] {
    const std::lock_guard lock(mutex);
    const auto found = entries.find(key);
    if (found != entries.end() && found->second.producer == nullptr) entries.erase(found);
  };
  std::shared_ptr<Producer> producer;
  try {
    const std::chrono::milliseconds init_timeout = config.max_block();
    producer =
        std::make_shared<Producer>(std::make_shared<detail::ProducerHandle>(std::move(config)));
    detail::init_transactions(*producer->handle(), init_timeout);
  } catch (const detail::TransactionCallError& error) {
    unreserve();
    if (producer != nullptr) producer->handle()->close(std::chrono::milliseconds::zero());
    throw TransactionAbortedError(
        transactional_id, 0, 0, error.failure(),
        fmt::format("Its producer could not initialize transactions: {}: {}",
                    error.failure().error_name, error.failure().error_text));
  } catch (...) {
    unreserve();
    if (producer != nullptr) producer->handle()->close(std::chrono::milliseconds::zero());
    throw;
  }
  {
    const std::lock_guard lock(mutex);
    const auto found = entries.find(key);
    if (!closed && found != entries.end() && found->second.producer == nullptr) {
      found->second.producer = producer;
      return ProducerLease(self, std::move(producer), std::move(key));
    }
  }
  producer->handle()->close(kCloseTimeout);
  throw_closed();
}

void ProducerPool::Impl::release(const std::string& key, const Producer* producer) noexcept {
  std::shared_ptr<Producer> retired;
  {
    const std::lock_guard lock(mutex);
    const auto found = entries.find(key);
    // Gone (the pool was closed, or the producer broke) or replaced: the lease just lets go
    // of its producer.
    if (found == entries.end() || found->second.producer.get() != producer) return;
    Entry& entry = found->second;
    if (entry.references == 0) return;  // a broken invariant; never go negative
    if (--entry.references > 0) return;
    if (entry.producer->handle()->is_broken()) {
      retired = std::move(entry.producer);
      entries.erase(found);
    } else {
      entry.expires_at = options.now() + options.cache_timeout;
    }
  }
  if (retired) retired->handle()->close(std::chrono::milliseconds(0));
}

std::vector<std::shared_ptr<Producer>> ProducerPool::Impl::take_expired() {
  std::vector<std::shared_ptr<Producer>> expired;
  const Clock::time_point now = options.now();
  for (auto it = entries.begin(); it != entries.end();) {
    // Strictly earlier, as Spark's `expireAt < now`.
    if (it->second.references == 0 && it->second.expires_at && *it->second.expires_at < now) {
      expired.push_back(std::move(it->second.producer));
      it = entries.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

void ProducerPool::Impl::run_evictor(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    std::vector<std::shared_ptr<Producer>> expired;
    {
      std::unique_lock lock(mutex);
      if (wakeup.wait_for(lock, stop, options.evictor_interval,
                          [&stop] { return stop.stop_requested(); })) {
        return;
      }
      try {
        expired = take_expired();
      } catch (...) {  // NOLINT(bugprone-empty-catch): the clock failed; try again next time
        continue;
      }
    }
    // Closed outside the lock: closing flushes and can block, and acquire() must not wait.
    close_producers(expired);
  }
}

void ProducerPool::Impl::close() {
  const std::lock_guard close_lock(close_mutex);
  std::vector<std::shared_ptr<Producer>> producers;
  {
    const std::lock_guard lock(mutex);
    closed = true;
    for (auto& [key, entry] : entries) producers.push_back(std::move(entry.producer));
    entries.clear();
  }
  evictor.request_stop();
  if (evictor.joinable()) evictor.join();
  close_producers(producers);
}

ProducerLease::ProducerLease(std::weak_ptr<void> pool,
                             std::shared_ptr<Producer> producer,
                             std::string key)
    : pool_(std::move(pool)), producer_(std::move(producer)), key_(std::move(key)) {}

ProducerLease::~ProducerLease() {
  release();
}

ProducerLease::ProducerLease(ProducerLease&& other) noexcept
    : pool_(std::move(other.pool_)),
      producer_(std::move(other.producer_)),
      key_(std::move(other.key_)) {}

ProducerLease& ProducerLease::operator=(ProducerLease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    producer_ = std::move(other.producer_);
    key_ = std::move(other.key_);
  }
  return *this;
}

void ProducerLease::release() noexcept {
  if (producer_ == nullptr) return;
  if (const std::shared_ptr<void> pool = pool_.lock()) {
    static_cast<ProducerPool::Impl*>(pool.get())->release(key_, producer_.get());
  }
  // A broken producer already left the pool; its last lease closes it at once.
  if (producer_.use_count() == 1 && producer_->handle()->is_broken()) {
    producer_->handle()->close(std::chrono::milliseconds(0));
  }
  // If this was the last owner (the pool is gone), this destroys the producer, which flushes.
  producer_.reset();
  pool_.reset();
  key_.clear();
}

ProducerPool::ProducerPool() : ProducerPool(Options{}) {}

ProducerPool::ProducerPool(Options options) : impl_(std::make_shared<Impl>(std::move(options))) {
  impl_->start_evictor();
}

ProducerPool::~ProducerPool() {
  impl_->close();
}

ProducerLease ProducerPool::acquire(const ProducerSettings& settings) {
  return impl_->acquire(settings, impl_);
}

ProducerLease ProducerPool::acquire_transactional(const ProducerSettings& settings,
                                                  const std::string& transactional_id) {
  return impl_->acquire_transactional(settings, transactional_id, "", impl_);
}

ProducerLease ProducerPool::acquire_any_transactional(const ProducerSettings& settings,
                                                      const std::string& id_prefix) {
  return impl_->acquire_transactional(settings, std::nullopt, id_prefix, impl_);
}

std::size_t ProducerPool::size() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->entries.size();
}

std::optional<ProducerPool::EntryState> ProducerPool::entry_state(
    const ProducerSettings& settings) const {
  const std::string key = detail::ProducerConfig::from_settings(settings).cache_key();
  const std::lock_guard lock(impl_->mutex);
  const auto found = impl_->entries.find(key);
  if (found == impl_->entries.end()) return std::nullopt;
  return EntryState{.references = found->second.references, .expires_at = found->second.expires_at};
}

std::size_t ProducerPool::evict_expired() {
  std::vector<std::shared_ptr<Producer>> expired;
  {
    const std::lock_guard lock(impl_->mutex);
    expired = impl_->take_expired();
  }
  close_producers(expired);
  return expired.size();
}

void ProducerPool::close() {
  impl_->close();
}

}  // namespace kafkasink
