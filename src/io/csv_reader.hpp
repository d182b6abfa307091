// The CSV half of DataFrameReader: libcsv tokenizes, this file turns records into typed
// columns, one partition per file, with Spark's header, inference and malformed-row rules.
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

/// Reads `files` (already listed and sorted) as one frame. Without `schema` the columns come
/// from the header (or are `_c0`, `_c1`, ...) and are strings, or inferred with
/// `options.infer_schema`. Throws ParseError (FAILFAST) and AnalysisError (no schema can be
/// inferred, or the schema has a type CSV cannot hold).
DataFrame read_csv(const std::vector<std::string>& files,
                   const CsvOptions& options,
                   const std::optional<Schema>& schema,
                   std::shared_ptr<SessionState> session);

/// As read_csv, for inputs already in memory: the fuzzer's entry point, which reaches the
/// same parser without a file system.
DataFrame read_csv_contents(const std::vector<FileContents>& inputs,
                            const CsvOptions& options,
                            const std::optional<Schema>& schema,
                            std::shared_ptr<SessionState> session);

}  // namespace kafkasink::detail
