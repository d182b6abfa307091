// The checkpoint folder of a streaming query: its id, the offsets log (the files of each
// batch, written before the batch runs), the commits log (written after Kafka acknowledged the
// batch) and the source's log of every file taken, compacted every 10 batches.
//
// Every file is written to a hidden temporary name, fsynced, renamed over its final name and
// the folder fsynced, so a crash leaves either the old state or the new one. A file that is
// nevertheless torn or corrupt (a disk fault, a hand edit) makes `open` fail naming it: a
// damaged checkpoint never silently restarts the query from zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "streaming/file_source.hpp"
#include "util/uuid.hpp"

namespace kafkasink::detail {

class Checkpoint {
 public:
  /// Creates the folder if needed, takes its lock (CheckpointError when another query holds
  /// it) and reads every log. Throws CheckpointError naming a corrupt or inconsistent file.
  explicit Checkpoint(std::string root);
  ~Checkpoint();
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;

  const std::string& root() const noexcept { return root_; }

  /// The query id from `metadata` (created with a new UUID on first use).
  const std::string& query_id() const noexcept { return query_id_; }

  /// The batch that has an offsets entry but no commit: it must be re-run with its files.
  std::optional<std::int64_t> pending_batch() const noexcept { return pending_batch_; }

  /// The files the offsets entry of `batch` lists (read at open).
  const std::vector<SourceFile>& pending_files() const noexcept { return pending_files_; }

  /// The id the next new batch gets.
  std::int64_t next_batch() const noexcept { return next_batch_; }

  /// Every file an earlier batch took (committed or pending): never read again as new.
  const std::set<std::string>& seen_files() const noexcept { return seen_; }

  /// Records that `batch` takes `files`: the offsets entry (unless the batch is a `rerun` of
  /// the pending one, whose entry exists), then the source log entry.
  void begin_batch(std::int64_t batch, const std::vector<SourceFile>& files, bool rerun);

  /// Records that `batch` is in Kafka, then deletes offsets and commits entries older than
  /// the newest `retain` batches.
  void commit(std::int64_t batch, std::size_t retain);

 private:
  void load();

  std::string root_;
  int lock_fd_ = -1;
  std::string query_id_;
  std::optional<std::int64_t> pending_batch_;
  std::vector<SourceFile> pending_files_;
  std::int64_t next_batch_ = 0;
  std::set<std::string> seen_;
  std::int64_t last_compact_ = -1;
};

/// Writes `content` to `path` atomically: a temporary file in the same folder, fsync, rename,
/// fsync of the folder. Throws CheckpointError naming the file on any failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace kafkasink::detail
