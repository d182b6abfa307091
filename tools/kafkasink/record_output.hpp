// How the tool prints Kafka records: as a show()-style table (a DataFrame of the records) or
// as JSON lines, one object per record, for scripts.
#pragma once

#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/mock_cluster.hpp>

namespace kafkasink::tool {

/// The records as a frame: topic, partition, offset, key, value (strings), and headers as
/// `name=value` pairs joined by `, `. Control characters in keys, values and headers are
/// escaped as in JSON (`\u001b`, `\n`), so that a record cannot drive the terminal.
DataFrame records_frame(const std::vector<ConsumedRecord>& records);

/// One record as a JSON object on one line: `{"topic":..,"partition":..,"offset":..,
/// "key":..,"value":..,"headers":[{"key":..,"value":..}]}`; a null key, value or header
/// value is `null`, bytes that are not UTF-8 are replaced by U+FFFD.
std::string record_json(const ConsumedRecord& record);

}  // namespace kafkasink::tool
