#include "util/utf8.hpp"

#include <cstdint>

#include <fmt/format.h>
#include <simdjson.h>

namespace kafkasink::detail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned byte) {
  return (byte & 0xC0U) == 0x80U;
}

/// What Java's decoder does at the start of a non-ASCII sequence: how many bytes it takes,
/// and whether they were one well-formed character (else they become one U+FFFD).
struct Step {
  std::size_t length;
  bool valid;
};

// Java 17's UTF-8 decoding (String's decoder and CharsetDecoder agree): the lead byte fixes
// the length; the second byte is checked against the lead's range (E0 needs A0..BF, F0 needs
// 90..BF, F4 needs 80..8F), which ends a bad sequence after one byte; a later non-continuation
// byte ends it before that byte. Unlike Unicode's recommendation, a well-shaped 3-byte
// surrogate is a single malformed unit, and a truncated sequence at the very end of the input
// is one U+FFFD however many of its bytes arrived.
Step java_step(const unsigned char* bytes, std::size_t remaining) {
  const unsigned lead = bytes[0];
  if (lead >= 0xC2 && lead <= 0xDF) {
    return remaining >= 2 && continuation(bytes[1]) ? Step{2, true} : Step{1, false};
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (remaining < 2) return {1, false};
    const unsigned second = bytes[1];
    if (!continuation(second) || (lead == 0xE0 && second < 0xA0)) return {1, false};
    if (remaining < 3) return {2, false};
    if (!continuation(bytes[2])) return {2, false};
    if (lead == 0xED && second >= 0xA0) return {3, false};  // U+D800..U+DFFF
    return {3, true};
  }
  if (lead >= 0xF0 && lead <= 0xF7) {
    if (lead > 0xF4 || remaining < 2) return {1, false};
    const unsigned second = bytes[1];
    if (!continuation(second) || (lead == 0xF0 && second < 0x90) ||
        (lead == 0xF4 && second > 0x8F)) {
      return {1, false};
    }
    if (remaining < 3) return {2, false};
    if (!continuation(bytes[2])) return {2, false};
    if (remaining < 4) return {3, false};
    if (!continuation(bytes[3])) return {3, false};
    return {4, true};
  }
  return {1, false};  // a continuation byte, C0, C1 or F8..FF
}

// Characters that show as nothing, or as a space that cannot be told from U+0020: controls,
// format characters, the odd spaces, fillers and variation selectors.
bool invisible(std::uint32_t code) {
  return code < 0x20 || (code >= 0x7F && code <= 0xA0) || code == 0xAD || code == 0x34F ||
         code == 0x61C || code == 0x115F || code == 0x1160 || code == 0x17B4 || code == 0x17B5 ||
         (code >= 0x180B && code <= 0x180F) || (code >= 0x2000 && code <= 0x200F) ||
         (code >= 0x2028 && code <= 0x202F) || (code >= 0x205F && code <= 0x206F) ||
         code == 0x3000 || code == 0x3164 || (code >= 0xFE00 && code <= 0xFE0F) || code == 0xFEFF ||
         code == 0xFFA0 || (code >= 0xFFF0 && code <= 0xFFFB) ||
         (code >= 0x1D173 && code <= 0x1D17A) || (code >= 0xE0000 && code <= 0xE0FFF);
}

std::uint32_t decode(const unsigned char* bytes, std::size_t length) {
  switch (length) {
    case 2:
      return ((bytes[0] & 0x1FU) << 6U) | (bytes[1] & 0x3FU);
    case 3:
      return ((bytes[0] & 0x0FU) << 12U) | ((bytes[1] & 0x3FU) << 6U) | (bytes[2] & 0x3FU);
    case 4:
      return ((bytes[0] & 0x07U) << 18U) | ((bytes[1] & 0x3FU) << 12U) |
             ((bytes[2] & 0x3FU) << 6U) | (bytes[3] & 0x3FU);
    default:
      return bytes[0];
  }
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) noexcept {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

std::string replace_malformed_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::size_t ascii_end = at;
    while (ascii_end < bytes.size() && data[ascii_end] < 0x80) ++ascii_end;
    out.append(bytes.data() + at, ascii_end - at);
    at = ascii_end;
    if (at == bytes.size()) break;
    const Step step = java_step(data + at, bytes.size() - at);
    if (step.valid) {
      out.append(bytes.data() + at, step.length);
    } else {
      out.append(kReplacement);
    }
    at += step.length;
  }
  return out;
}

std::string_view valid_utf8(std::string_view bytes, std::string& storage) {
  if (is_valid_utf8(bytes)) return bytes;
  storage = replace_malformed_utf8(bytes);
  return storage;
}

std::string escape_invisible(std::string_view text) {
  std::string out;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t at = 0;
  while (at < text.size()) {
    const Step step = data[at] < 0x80 ? Step{1, true} : java_step(data + at, text.size() - at);
    if (!step.valid) {
      for (std::size_t index = 0; index < step.length; ++index) {
        out += fmt::format("\\x{:02X}", data[at + index]);
      }
    } else if (const std::uint32_t code = decode(data + at, step.length); invisible(code)) {
      if (code < 0x10000) {
        out += fmt::format("\\u{:04X}", code);
      } else {  // as Java writes it: a surrogate pair
        const std::uint32_t offset = code - 0x10000;
        out +=
            fmt::format("\\u{:04X}\\u{:04X}", 0xD800 + (offset >> 10U), 0xDC00 + (offset & 0x3FFU));
      }
    } else {
      out.append(text.substr(at, step.length));
    }
    at += step.length;
  }
  return out;
}

}  // namespace kafkasink::detail
