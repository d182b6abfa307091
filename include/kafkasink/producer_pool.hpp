// ProducerPool: the cache of Kafka producers that every write shares.
//
// As Spark's InternalKafkaProducerPool: the key is the whole producer configuration, sorted;
// there is one shared producer per key, counted by reference. A producer in use is never
// closed; when its count returns to zero its idle clock starts, and the evictor thread, which
// wakes every `evictor_interval`, closes producers idle for longer than `cache_timeout`. A
// non-positive interval starts no evictor: idle producers then live until `close()`.
// Unlike Spark's pool, `close()` flushes and destroys every producer and joins the evictor.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <kafkasink/producer.hpp>

namespace kafkasink {

class ProducerPool;

/// A producer configuration: librdkafka or Java producer settings by name, without Spark's
/// `kafka.` prefix (`bootstrap.servers`, `acks`, `linger.ms`, `buffer.memory`, ...).
using ProducerSettings = std::map<std::string, std::string>;

/// The use of one pooled producer. Releases it on destruction; move-only.
class ProducerLease {
 public:
  /// An empty lease, holding no producer.
  ProducerLease() = default;
  ~ProducerLease();
  /// Takes over `other`'s producer; `other` is left empty.
  ProducerLease(ProducerLease&& other) noexcept;
  /// Releases this lease's producer, then takes over `other`'s; `other` is left empty.
  ProducerLease& operator=(ProducerLease&& other) noexcept;
  ProducerLease(const ProducerLease&) = delete;
  ProducerLease& operator=(const ProducerLease&) = delete;

  /// The leased producer. Precondition: the lease is not empty.
  Producer& operator*() const noexcept { return *producer_; }
  /// The leased producer (`lease->send(...)`). Precondition: the lease is not empty.
  Producer* operator->() const noexcept { return producer_.get(); }
  /// The leased producer. Precondition: the lease is not empty.
  Producer& producer() const noexcept { return *producer_; }

  /// Whether the lease holds a producer (not default-constructed, moved from or released).
  explicit operator bool() const noexcept { return producer_ != nullptr; }

  /// Returns the producer to the pool now (the destructor does it otherwise).
  void release() noexcept;

 private:
  friend class ProducerPool;
  ProducerLease(std::weak_ptr<void> pool, std::shared_ptr<Producer> producer, std::string key);

  std::weak_ptr<void> pool_;
  std::shared_ptr<Producer> producer_;
  std::string key_;
};

/// A thread-safe cache of producers keyed by configuration.
class ProducerPool {
 public:
  /// The clock of the idle timeout.
  using Clock = std::chrono::steady_clock;

  /// How the pool evicts idle producers. A Session fills these from
  /// `spark.kafka.producer.cache.timeout` and
  /// `spark.kafka.producer.cache.evictorThreadRunInterval`.
  struct Options {
    /// How long a producer may stay idle (reference count zero) before the evictor closes it.
    std::chrono::milliseconds cache_timeout = std::chrono::minutes(10);
    /// How often the evictor runs; zero or negative: never.
    std::chrono::milliseconds evictor_interval = std::chrono::minutes(1);
    /// The clock of the idle timeout; replaced by tests to evict without sleeping.
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
  };

  /// What the pool knows about one cached producer.
  struct EntryState {
    std::size_t references = 0;  ///< how many leases hold it now
    /// When the evictor may close it: nothing while leased.
    std::optional<Clock::time_point> expires_at;
  };

  /// A pool with Spark's defaults: 10 minutes' idle timeout, evictor every minute.
  ProducerPool();
  /// A pool evicting as `options` says; starts the evictor thread unless the interval is not
  /// positive.
  explicit ProducerPool(Options options);
  ~ProducerPool();
  ProducerPool(const ProducerPool&) = delete;
  ProducerPool& operator=(const ProducerPool&) = delete;

  /// The producer for `settings` (translated and completed with kafkasink's defaults),
  /// created on first use. Throws IllegalArgumentError when a setting is unknown or invalid,
  /// or `bootstrap.servers` is missing, and after close(), and for `transactional.id`: a
  /// transactional producer is never shared (see acquire_transactional).
  ProducerLease acquire(const ProducerSettings& settings);

  /// The transactional producer for `settings` with `transactional.id` = `transactional_id`,
  /// leased to one holder at a time, so that two writes never share a transaction. Each lease
  /// gets a new producer with its transactions initialized (which fences every older producer
  /// with that id, in this process or another, and waits until its last transaction is
  /// complete, committing or aborting it), waiting up to `max.block.ms`; an idle cached one is
  /// closed first. Returns an empty lease while another lease holds it. Throws as acquire() does,
  /// and TransactionAbortedError (holding no record) when the transactions cannot be initialized.
  ProducerLease acquire_transactional(const ProducerSettings& settings,
                                      const std::string& transactional_id);

  /// A transactional producer for `settings`, leased to one holder at a time: an idle one
  /// this call made earlier for the same settings and `id_prefix` (reused), or a new one whose
  /// `transactional.id` is `id_prefix` followed by a number no producer of this process had
  /// (so two configurations or two pools never share an id). Never returns an empty lease.
  ProducerLease acquire_any_transactional(const ProducerSettings& settings,
                                          const std::string& id_prefix);

  /// How many producers are cached.
  std::size_t size() const;

  /// The state of the cached producer for `settings`, or nothing when none is cached.
  std::optional<EntryState> entry_state(const ProducerSettings& settings) const;

  /// Closes the producers idle past the timeout now, as one evictor run does. Returns how
  /// many were closed.
  std::size_t evict_expired();

  /// Flushes and destroys every producer (waiting for leased ones' records), joins the
  /// evictor; later acquires fail. Idempotent.
  void close();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kafkasink
