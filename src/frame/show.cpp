// DataFrame::show_string: Spark 3.5's Dataset.showString (horizontal form), character for
// character, so that output can be compared with Spark's. Spark measures text as Java does,
// in UTF-16 units, so this file does too: a cell is cut after 17 units, and its width is its
// length in units plus one for each East Asian wide character (Utils.stringHalfWidth).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kafkasink/dataframe.hpp>

#include "util/utf8.hpp"

namespace kafkasink {

namespace {

constexpr std::size_t kMinimumColumnWidth = 3;
constexpr std::size_t kTruncatedWidth = 20;

/// Calls `on_character(code_point, bytes)` for each character of valid UTF-8 `text`.
template <typename OnCharacter>
void for_each_character(std::string_view text, OnCharacter&& on_character) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    std::uint32_t code = length == 1 ? lead : lead & (0x7FU >> length);
    for (std::size_t index = 1; index < length && at + index < text.size(); ++index) {
      code = (code << 6U) | (static_cast<unsigned char>(text[at + index]) & 0x3FU);
    }
    on_character(code, text.substr(at, length));
    at += length;
  }
}

// Spark's fullWidthRegex: the BMP ranges it counts as two columns.
bool full_width(std::uint32_t code) {
  return (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
         (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
         (code >= 0xFE10 && code <= 0xFE19) || (code >= 0xFE30 && code <= 0xFE6F) ||
         (code >= 0xFF00 && code <= 0xFF60) || (code >= 0xFFE0 && code <= 0xFFE6);
}

std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  for_each_character(text, [&units](std::uint32_t code, std::string_view /*bytes*/) {
    units += code >= 0x10000 ? 2U : 1U;
  });
  return units;
}

std::size_t half_width(std::string_view text) {
  std::size_t width = 0;
  for_each_character(text, [&width](std::uint32_t code, std::string_view /*bytes*/) {
    width += code >= 0x10000 || full_width(code) ? 2U : 1U;
  });
  return width;
}

// Java's substring(0, units). Cutting a surrogate pair leaves its high half, which Java's
// UTF-8 encoder prints as '?'.
std::string prefix_units(std::string_view text, std::size_t units) {
  std::string out;
  std::size_t taken = 0;
  for_each_character(text, [&](std::uint32_t code, std::string_view bytes) {
    const std::size_t size = code >= 0x10000 ? 2 : 1;
    if (taken >= units) return;
    if (taken + size > units) {
      out += '?';
    } else {
      out.append(bytes);
    }
    taken += size;
  });
  return out;
}

// Spark's SparkSchemaUtils.escapeMetaCharacters, applied to names and cells alike.
std::string escape_meta_characters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\a':
        out += "\\a";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A cell as Spark prints it: decoded (Java's U+FFFD for bytes that are not UTF-8), escaped,
// then cut.
std::string cell_text(std::string_view text, bool truncate) {
  std::string decoded;
  std::string escaped = escape_meta_characters(detail::valid_utf8(text, decoded));
  if (truncate && utf16_length(escaped) > kTruncatedWidth) {
    return prefix_units(escaped, kTruncatedWidth - 3) + "...";
  }
  return escaped;
}

std::string pad(const std::string& text, std::size_t width, bool align_right) {
  const std::size_t used = half_width(text);
  if (used >= width) return text;
  const std::string padding(width - used, ' ');
  return align_right ? padding + text : text + padding;
}

}  // namespace

std::string DataFrame::show_string(std::size_t rows, bool truncate) const {
  // Spark takes one row more than it shows, to know whether to say "only showing".
  const std::vector<Row> taken = take(rows + 1);
  const bool has_more = taken.size() > rows;
  const std::size_t shown = std::min(rows, taken.size());

  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (const std::string& name : columns()) header.push_back(cell_text(name, false));
  cells.push_back(std::move(header));
  for (std::size_t row = 0; row < shown; ++row) {
    std::vector<std::string> line;
    for (const Value& value : taken[row].values()) {
      line.push_back(cell_text(value.to_string(), truncate));
    }
    cells.push_back(std::move(line));
  }

  std::vector<std::size_t> widths(schema_.size(), kMinimumColumnWidth);
  for (const std::vector<std::string>& line : cells) {
    for (std::size_t column = 0; column < line.size(); ++column) {
      widths[column] = std::max(widths[column], half_width(line[column]));
    }
  }

  // Scala's addString(sb, "+", "+", "+\n"): a frame without columns prints "++".
  std::string separator = "+";
  for (std::size_t column = 0; column < widths.size(); ++column) {
    if (column > 0) separator += '+';
    separator += std::string(widths[column], '-');
  }
  separator += "+\n";

  std::string out = separator;
  for (std::size_t line = 0; line < cells.size(); ++line) {
    out += '|';
    for (std::size_t column = 0; column < cells[line].size(); ++column) {
      if (column > 0) out += '|';
      out += pad(cells[line][column], widths[column], truncate);
    }
    out += "|\n";
    if (line == 0) out += separator;
  }
  out += separator;
  if (has_more) {
    out += "only showing top " + std::to_string(rows) + (rows == 1 ? " row\n" : " rows\n");
  }
  return out;
}

}  // namespace kafkasink
