// DataFrame::show_string: Spark's Dataset.showString (horizontal form), character for
// character, so that output can be compared with Spark's.
#include <algorithm>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>

namespace kafkasink {

namespace {

constexpr std::size_t kMinimumColumnWidth = 3;
constexpr std::size_t kTruncatedWidth = 20;

// Display width in characters: UTF-8 continuation bytes do not count.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

// The first `characters` characters of `text`.
std::string prefix_characters(const std::string& text, std::size_t characters) {
  std::size_t seen = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    if ((static_cast<unsigned char>(text[index]) & 0xC0U) != 0x80U) {
      if (seen == characters) return text.substr(0, index);
      ++seen;
    }
  }
  return text;
}

std::string pad(const std::string& text, std::size_t width, bool align_right) {
  const std::size_t used = display_width(text);
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
  cells.push_back(columns());
  for (std::size_t row = 0; row < shown; ++row) {
    std::vector<std::string> line;
    for (const Value& value : taken[row].values()) {
      std::string text = value.to_string();
      if (truncate && display_width(text) > kTruncatedWidth) {
        text = prefix_characters(text, kTruncatedWidth - 3) + "...";
      }
      line.push_back(std::move(text));
    }
    cells.push_back(std::move(line));
  }

  std::vector<std::size_t> widths(schema_.size(), kMinimumColumnWidth);
  for (const std::vector<std::string>& line : cells) {
    for (std::size_t column = 0; column < line.size(); ++column) {
      widths[column] = std::max(widths[column], display_width(line[column]));
    }
  }

  std::string separator = "+";
  for (const std::size_t width : widths) separator += std::string(width, '-') + "+";
  separator += '\n';

  std::string out = separator;
  for (std::size_t line = 0; line < cells.size(); ++line) {
    out += '|';
    for (std::size_t column = 0; column < cells[line].size(); ++column) {
      out += pad(cells[line][column], widths[column], truncate);
      out += '|';
    }
    out += '\n';
    if (line == 0) out += separator;
  }
  out += separator;
  if (has_more) {
    out += "only showing top " + std::to_string(rows) + (rows == 1 ? " row\n" : " rows\n");
  }
  return out;
}

}  // namespace kafkasink
