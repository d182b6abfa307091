#include "util/uuid.hpp"

#include <cstdint>
#include <random>

#include <fmt/format.h>

namespace kafkasink::detail {

std::string random_uuid() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<std::uint64_t> distribution;
  std::uint64_t high = distribution(generator);
  std::uint64_t low = distribution(generator);
  high = (high & ~std::uint64_t{0xF000}) | 0x4000;                         // version 4
  low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFF);
}

}  // namespace kafkasink::detail
