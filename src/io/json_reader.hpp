// The JSON-lines half of DataFrameReader: simdjson parses each line, this file infers Spark's
// schema and turns objects into typed columns, one partition per file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/types.hpp>

#include "io/file_listing.hpp"
#include "io/read_options.hpp"

namespace kafkasink::detail {

struct SessionState;

/// Reads `files` (already listed and sorted) as one frame. Without `schema` the schema is
/// inferred as Spark's JsonInferSchema does: integers are `bigint`, fields sorted by name at
/// every level, conflicting types widened (bigint -> double, anything else -> string).
/// Throws ParseError (FAILFAST) and AnalysisError (nothing to infer from).
DataFrame read_json(const std::vector<std::string>& files,
                    const JsonOptions& options,
                    const std::optional<Schema>& schema,
                    std::shared_ptr<SessionState> session);

/// As read_json, for inputs already in memory: the fuzzer's entry point, which reaches the
/// same parser without a file system.
DataFrame read_json_contents(std::vector<FileContents> inputs,
                             const JsonOptions& options,
                             const std::optional<Schema>& schema,
                             std::shared_ptr<SessionState> session);

}  // namespace kafkasink::detail
