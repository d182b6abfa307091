// Placeholder while the kafka writer is written.
#include <kafkasink/writer.hpp>

namespace kafkasink {

DataFrameWriter::DataFrameWriter(DataFrame frame) : frame_(std::move(frame)) {}

}  // namespace kafkasink
