// Placeholder while the io component is written.
#include <kafkasink/reader.hpp>

#include <kafkasink/errors.hpp>

namespace kafkasink {

DataFrameReader::DataFrameReader(std::shared_ptr<detail::SessionState> session)
    : session_(std::move(session)) {}

}  // namespace kafkasink
