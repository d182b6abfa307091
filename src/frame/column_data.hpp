// The buffers behind a ColumnVector. Private to the library: code outside src/ reads columns
// through ColumnVector's accessors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <kafkasink/column.hpp>

namespace kafkasink {

struct ColumnVector::Data {
  DataType type;
  std::size_t length = 0;
  /// One bit per row, 1 = valid; null when no row is null.
  std::shared_ptr<const std::vector<std::uint8_t>> validity;
  /// Fixed-width values (bool as one byte, int8, int16, int32 (also dates), int64 (also
  /// timestamps), float, double, 128-bit decimal unscaled values), typed by `type`.
  std::shared_ptr<const void> values_owner;
  const void* values = nullptr;
  /// `length + 1` offsets: into `bytes` for string and binary, into the elements for arrays.
  std::shared_ptr<const std::vector<std::int64_t>> offsets;
  std::shared_ptr<const std::string> bytes;
  /// Array: the elements column. Struct: one column per field, each `length` long.
  std::vector<ColumnVector> children;
};

}  // namespace kafkasink
