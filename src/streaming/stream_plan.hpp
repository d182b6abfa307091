// What a StreamingDataFrame is underneath: a source folder with its format, schema and
// options, plus the transformations recorded on it, replayed on each micro-batch.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/types.hpp>

#include "io/read_options.hpp"

namespace kafkasink::detail {

struct SessionState;

/// The folder a streaming frame reads, parsed once when the frame is made.
struct StreamSource {
  std::string path;    ///< absolute, normalized: the seen-files log compares these
  std::string format;  ///< "csv" or "json"
  Schema schema;
  CsvOptions csv;
  JsonOptions json;
  /// `maxFilesPerTrigger`; nothing means every new file in one batch.
  std::optional<std::size_t> max_files_per_trigger;

  /// Spark's description, for progress: `FileStreamSource[file:/path]`.
  std::string description() const;
};

/// One recorded transformation: a DataFrame method applied to each micro-batch.
using StreamStep = std::function<DataFrame(const DataFrame&)>;

struct StreamPlan {
  std::shared_ptr<const StreamSource> source;
  std::shared_ptr<SessionState> session;
  std::vector<StreamStep> steps;
  /// An empty frame of the output schema: each step was applied to it when recorded, which
  /// checks the step against the schema (Spark's analysis) and gives the output schema.
  DataFrame empty;

  /// The transformations applied to a batch read from the source.
  DataFrame apply(DataFrame batch) const;
};

}  // namespace kafkasink::detail
