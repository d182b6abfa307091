#include "kafka/transactional_write.hpp"

#include <chrono>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "kafka/producer_config.hpp"
#include "kafka/producer_handle.hpp"
#include "kafka/transactions.hpp"
#include "util/duration.hpp"
#include "util/uuid.hpp"

namespace kafkasink::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kDefaultPrefix = "kafkasink";
// librdkafka's (and Java's) default transaction.timeout.ms.
constexpr std::chrono::milliseconds kDefaultTransactionTimeout{60'000};

std::chrono::milliseconds transaction_timeout(const ProducerConfig& config) {
  const auto found = config.entries().find("transaction.timeout.ms");
  if (found != config.entries().end()) {
    if (const auto parsed = parse_duration(found->second)) return *parsed;
  }
  return kDefaultTransactionTimeout;
}

std::string prefix_of(const WriteOptions& options) {
  return options.transactional_id_prefix.value_or(std::string(kDefaultPrefix));
}

// The topic the marker is committed on: the group's offsets must name an existing partition,
// and partition 0 of the topic the batch writes to is one.
std::string marker_topic(const KafkaSinkPlan& plan, const DataFrame& frame) {
  if (plan.options.topic) return *plan.options.topic;
  for (const Partition& partition : frame.partitions()) {
    if (partition.num_rows > 0)
      return std::string(plan.mapper.columns(partition).topic->bytes_at(0));
  }
  return {};
}

// How one transaction ended badly; thrown as a TransactionAbortedError.
struct Abort {
  KafkaWriteError::Failure cause;
  std::string reason;
};

}  // namespace

TransactionalProducer::TransactionalProducer(ProducerLease lease, std::string id)
    : lease_(std::move(lease)), id_(std::move(id)) {}

std::string query_transactional_id(const WriteOptions& options, const std::string& query_id) {
  return fmt::format("{}-{}", prefix_of(options), query_id);
}

TransactionalProducer TransactionalProducer::for_query(const KafkaSinkPlan& plan,
                                                       ProducerPool& pool,
                                                       const std::string& query_id) {
  std::string id = query_transactional_id(plan.options, query_id);
  ProducerLease lease = pool.acquire_transactional(plan.options.producer_settings, id);
  if (!lease) {
    throw IllegalArgumentError(
        std::string(kTransactionalIdPrefixOption),
        fmt::format("The transactional id '{}' is in use by another writer of this process: two "
                    "writers cannot share one transaction.",
                    id));
  }
  return {std::move(lease), std::move(id)};
}

TransactionalProducer TransactionalProducer::for_save(const KafkaSinkPlan& plan,
                                                      ProducerPool& pool) {
  // The process's share of the ids is random, so that two processes writing with one prefix
  // never fence each other.
  static const std::string process = random_uuid();
  ProducerLease lease = pool.acquire_any_transactional(
      plan.options.producer_settings, fmt::format("{}-{}-", prefix_of(plan.options), process));
  std::string id = lease->handle()->config().entries().at("transactional.id");
  return {std::move(lease), std::move(id)};
}

WriteSummary TransactionalProducer::write(
    const KafkaSinkPlan& plan,
    const DataFrame& frame,
    ProducerPool& pool,
    std::optional<std::int64_t> batch,
    const std::function<void(const WriteProgress&)>& on_progress) {
  ProducerHandle& producer = *lease_->handle();
  const std::size_t total = frame.count();
  const std::chrono::milliseconds call_timeout = producer.config().max_block();
  const std::chrono::milliseconds limit = transaction_timeout(producer.config());
  std::size_t held = 0;

  // The producer of an aborted transaction is closed, and the pool replaces it with a new one
  // (same transactional id for a query). After a fatal error (fenced) it is unusable anyway;
  // after an abort that needed an epoch bump (a record the broker refused), librdkafka 2.0.2
  // can purge the records of the next transaction while it bumps. The abort itself still
  // matters: it ends the transaction now instead of at its timeout, which would hold back
  // read_committed consumers of its partitions until then.
  const auto end_badly = [&](bool try_abort) noexcept {
    if (try_abort && !fatal_error(producer)) (void)abort_transaction(producer, call_timeout);
    producer.close(std::chrono::milliseconds::zero());
  };
  const auto fail = [&](Abort abort, bool try_abort) -> WriteSummary {
    if (std::optional<KafkaWriteError::Failure> fatal = fatal_error(producer)) {
      abort.cause = std::move(*fatal);
      if (abort.cause.error_name == "_FENCED") {
        abort.reason = fmt::format(
            "Its producer was fenced: another producer with transactional id '{}' has been "
            "initialized since (a newer run of this query, or another process with the same "
            "transactional id), and only the newest may write: {}: {}",
            id_, abort.cause.error_name, abort.cause.error_text);
      } else {
        abort.reason += fmt::format(" The producer hit a fatal error: {}: {}",
                                    abort.cause.error_name, abort.cause.error_text);
      }
    }
    end_badly(try_abort);
    throw TransactionAbortedError(id_, held, total, std::move(abort.cause), abort.reason);
  };
  const auto call_failed = [&](const TransactionCallError& error, const char* what) {
    return Abort{error.failure(), fmt::format("{} failed: {}: {}", what, error.failure().error_name,
                                              error.failure().error_text)};
  };

  if (total == 0) {
    // Nothing to send: no transaction, and no marker (a re-run of an empty batch is harmless).
    (void)send_frame(plan, frame, pool, &producer, on_progress);
    return {};
  }

  const Clock::time_point begun = Clock::now();
  try {
    begin_transaction(producer);
  } catch (const TransactionCallError& error) {
    return fail(call_failed(error, "Beginning it"), false);
  }

  SendResult sent;
  try {
    sent = send_frame(plan, frame, pool, &producer, on_progress);
  } catch (...) {
    end_badly(true);
    throw;
  }
  held = sent.summary.records;
  if (sent.task_error) {
    end_badly(true);
    std::rethrow_exception(sent.task_error);
  }
  if (sent.delivered < total) {
    const KafkaWriteError::Failure& first = *sent.failure;
    // The first failure decides; the other records are not delivered because of the abort.
    const std::string where =
        first.partition < 0 ? fmt::format("topic {}", first.topic)
                            : fmt::format("topic-partition {}-{}", first.topic, first.partition);
    return fail(Abort{first, fmt::format("A record was not delivered to {}: {}: {}", where,
                                         first.error_name, first.error_text)},
                true);
  }

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begun);
  if (elapsed > limit) {
    KafkaWriteError::Failure timed_out = delivery_failure("", -1, RD_KAFKA_RESP_ERR__TIMED_OUT);
    timed_out.error_text = fmt::format("the transaction ran for {} ms", elapsed.count());
    return fail(
        Abort{std::move(timed_out),
              fmt::format("It ran for {} ms, longer than kafka.transaction.timeout.ms ({} ms), "
                          "after which the broker aborts it. Raise kafka.transaction.timeout.ms "
                          "(up to the broker's transaction.max.timeout.ms) or write less per "
                          "transaction.",
                          elapsed.count(), limit.count())},
        true);
  }

  if (batch) {
    try {
      send_marker(
          producer,
          BatchMarker{
              .group = id_, .topic = marker_topic(plan, frame), .partition = 0, .batch = *batch},
          call_timeout);
    } catch (const TransactionCallError& error) {
      return fail(call_failed(error, "Recording the batch in it"), true);
    }
  }
  try {
    commit_transaction(producer, call_timeout);
  } catch (const TransactionCallError& error) {
    return fail(call_failed(error, "Committing it"), true);
  }
  if (sent.progress_error) std::rethrow_exception(sent.progress_error);
  return sent.summary;
}

std::optional<std::int64_t> TransactionalProducer::committed_batch() {
  ProducerHandle& producer = *lease_->handle();
  return detail::committed_batch(producer, id_, producer.config().max_block());
}

WriteSummary write_frame_exactly_once(
    const KafkaSinkPlan& plan,
    const DataFrame& frame,
    ProducerPool& pool,
    const std::function<void(const WriteProgress&)>& on_progress) {
  std::optional<TransactionalProducer> producer;
  try {
    producer.emplace(TransactionalProducer::for_save(plan, pool));
  } catch (const TransactionAbortedError& error) {
    // Counted again against this write's records.
    throw TransactionAbortedError(
        error.transactional_id(), 0, frame.count(), error.first_error(),
        fmt::format("Its producer could not initialize transactions: "
                    "{}: {}",
                    error.first_error().error_name, error.first_error().error_text));
  }
  return producer->write(plan, frame, pool, std::nullopt, on_progress);
}

}  // namespace kafkasink::detail
