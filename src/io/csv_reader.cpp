#include "io/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include <csv.h>
#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "io/file_listing.hpp"
#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

// libcsv's parser states (libcsv.c defines them privately; struct csv_parser exposes
// `pstate`). Reading the state is how Spark's backslash escape is layered over libcsv, which
// itself only knows RFC 4180's doubled quote.
constexpr int kLibcsvRowNotBegun = 0;
constexpr int kLibcsvFieldBegun = 2;

// libcsv trims spaces and tabs around unquoted fields unless told that nothing is a space.
// Spark keeps them (ignoreLeadingWhiteSpace/ignoreTrailingWhiteSpace are false for reading),
// which is why census values read as " Private".
int nothing_is_space(unsigned char /*c*/) {
  return 0;
}

// The field buffer's first size, and the most bytes fed to libcsv in one call (see
// CsvTokenizer::parse_bytes).
constexpr std::size_t kInitialBlock = 4096;
constexpr std::size_t kParseSlice = std::size_t{1} << 20U;

/// One record: its fields as views into the tokenizer's row buffer, valid during the callback.
struct Record {
  std::size_t line = 0;  ///< 1-based line where the record starts
  std::vector<std::string_view> fields;
  /// True for a field that was empty and unquoted (always null, whatever `nullValue` says).
  std::vector<bool> unquoted_empty;
};

/// One line with a quote in it, split as univocity-parsers 2.9 splits it with Spark 3.5's CSV
/// settings (UnivocityParser over a line when multiLine is false): quote and escape as given,
/// the escape of the escape (charToEscapeQuoteEscaping) the escape itself unless it is the
/// quote, unescapedQuoteHandling STOP_AT_DELIMITER, no trimming, escapes only inside quotes.
/// Its rules are univocity's own, step by step: a quote inside a quoted value that is followed
/// by neither a delimiter nor white space makes the value raw up to the next delimiter, opening
/// quote included (`"a""b",z` reads `"a""b"`), and `""` is a quote only where nothing but
/// another quote, a delimiter or the line's end follows.
class UnivocityLine {
 public:
  /// Receives the fields: `value(bytes)` for a parsed value, `empty()` for an empty unquoted
  /// field (null whatever nullValue says).
  struct Sink {
    virtual void value(std::string_view bytes) = 0;
    virtual void empty() = 0;

   protected:
    ~Sink() = default;
  };

  UnivocityLine(char delimiter, char quote, char escape)
      : delimiter_(delimiter),
        quote_(quote),
        escape_(escape),
        escape_escape_(escape == quote ? '\0' : escape) {}

  void parse(std::string_view line, Sink& sink) {
    line_ = line;
    position_ = 0;
    sink_ = &sink;
    eof_ = false;
    columns_ = 0;
    unescaped_ = false;
    ch_ = '\0';
    prev_ = '\0';
    value_.clear();
    // AbstractParser.parseLine: the record runs until the input ends, then handleEOF.
    if (next(ch_)) parse_record();
    handle_eof();
  }

 private:
  // The line has no line break (Spark split the file at them), so univocity's newline never
  // matches; its input ends with an EOFException, here `eof_`, after which every caller
  // returns at once, leaving ch_ as it was before the read that failed.
  bool next(char& target) {
    if (position_ >= line_.size()) {
      eof_ = true;
      return false;
    }
    target = line_[position_++];
    return true;
  }

  static bool is_white(char c) { return static_cast<unsigned char>(c) <= ' '; }

  void value_parsed() {
    sink_->value(value_);
    value_.clear();
    ++columns_;
  }

  void empty_parsed() {
    sink_->empty();
    ++columns_;
  }

  // DefaultCharAppender.appendUntil: appends up to a stop character, which it returns in ch_.
  void append_until(char start, char stop1, char stop2, char stop3) {
    char c = start;
    while (c != stop1 && c != stop2 && c != stop3) {
      value_ += c;
      if (!next(c)) return;
    }
    ch_ = c;
  }

  // CsvParser.parseSingleDelimiterRecord, without the leading white space skipping Spark
  // turns off.
  void parse_record() {
    while (true) {
      if (ch_ == delimiter_) {
        empty_parsed();
      } else {
        unescaped_ = false;
        prev_ = '\0';
        if (ch_ == quote_) {
          parse_quoted_value();
          if (eof_) return;
          value_parsed();
        } else {
          append_until(ch_, delimiter_, delimiter_, delimiter_);
          if (eof_) return;
          value_parsed();
        }
      }
      if (!next(ch_)) return;
    }
  }

  void parse_quoted_value() {
    if (prev_ != '\0') {
      // After an unescaped quote (STOP_AT_DELIMITER): the rest of the value is raw.
      value_.insert(value_.begin(), quote_);
      if (!next(ch_)) return;
      append_until(ch_, delimiter_, delimiter_, delimiter_);
      return;
    }
    if (!next(ch_)) return;
    while (true) {
      if (prev_ == quote_ && (is_white(ch_) || ch_ == delimiter_)) break;
      if (ch_ != quote_ && ch_ != escape_) {
        if (prev_ == quote_) {
          handle_unescaped_quote();
          return;
        }
        if (prev_ == escape_ && escape_ != '\0') value_ += escape_;
        append_until(ch_, quote_, escape_, escape_escape_);
        if (eof_) return;
        prev_ = ch_;
        if (!next(ch_)) return;
      } else {
        if (process_quote_escape()) handle_unescaped_quote_in_value();
        if (eof_) return;
        prev_ = ch_;
        if (!next(ch_)) return;
        if (unescaped_ && ch_ == delimiter_) return;
      }
    }
    // White space after the closing quote is dropped, unless more than white space follows.
    if (ch_ != delimiter_ && is_white(ch_)) {
      std::string white;
      do {
        white += ch_;
        if (!next(ch_)) return;
      } while (is_white(ch_));
      if (ch_ != delimiter_) {
        value_ += quote_;
        value_ += white;
        value_ += ch_;
        prev_ = ch_;
        parse_quoted_value();
      }
    }
  }

  void handle_unescaped_quote() {
    unescaped_ = true;
    value_ += quote_;
    value_ += ch_;
    prev_ = ch_;
    parse_quoted_value();
  }

  // CsvParser.processQuoteEscape; true where univocity goes on to handleUnescapedQuoteInValue,
  // which the caller does (see parse_value_processing_escape).
  bool process_quote_escape() {
    if (ch_ == escape_ && prev_ == escape_escape_ && escape_escape_ != '\0') {
      value_ += escape_;
      ch_ = '\0';
    } else if (prev_ == escape_) {
      if (ch_ == quote_) {
        value_ += quote_;
        ch_ = '\0';
      } else {
        value_ += prev_;
      }
    } else if (ch_ == quote_ && prev_ == quote_) {
      value_ += quote_;
    } else if (prev_ == quote_) {
      return true;
    }
    return false;
  }

  // handleUnescapedQuoteInValue: the quote, then parseValueProcessingEscape.
  void handle_unescaped_quote_in_value() {
    value_ += quote_;
    prev_ = ch_;
    parse_value_processing_escape();
  }

  // parseValueProcessingEscape and the handleUnescapedQuoteInValue calls it recurses through,
  // as one loop: a line of many quotes would otherwise recurse as deep as it is long. A call
  // made from processQuoteEscape resumes its caller after the delimiter it stopped at, which
  // `resuming` counts; the other call ends its caller, so it is simply the loop going on.
  void parse_value_processing_escape() {
    std::size_t resuming = 0;
    while (true) {
      if (ch_ == delimiter_) {
        if (resuming == 0) return;
        --resuming;
        prev_ = ch_;
        if (!next(ch_)) return;
        continue;
      }
      if (ch_ != quote_ && ch_ != escape_) {
        if (prev_ == quote_) {
          value_ += quote_;
          prev_ = ch_;
          continue;
        }
        value_ += ch_;
      } else if (process_quote_escape()) {
        value_ += quote_;
        prev_ = ch_;
        ++resuming;
        continue;
      }
      prev_ = ch_;
      if (!next(ch_)) return;
    }
  }

  // CsvParser.consumeValueOnEOF, then AbstractParser.handleEOF.
  void handle_eof() {
    bool consume = false;
    if (ch_ == quote_ && prev_ == quote_) {
      consume = true;
    } else {
      if (ch_ == quote_ && !unescaped_) value_ += quote_;
      consume = prev_ != '\0' && ch_ != delimiter_;
    }
    ch_ = '\0';
    prev_ = '\0';
    if (columns_ != 0 || consume) {
      if (!value_.empty() || consume) {
        value_parsed();
      } else {
        empty_parsed();
      }
    } else if (value_.empty()) {
      empty_parsed();
    } else {
      value_parsed();
    }
  }

  char delimiter_;
  char quote_;
  char escape_;
  char escape_escape_;
  std::string_view line_;
  std::size_t position_ = 0;
  Sink* sink_ = nullptr;
  bool eof_ = false;
  std::size_t columns_ = 0;
  bool unescaped_ = false;
  char ch_ = '\0';
  char prev_ = '\0';
  std::string value_;
};

/// libcsv behind a C++ interface: feeds a file line by line (so that every record knows its
/// line), applies the escape rule and hands out whole records. With multiLine false, a line
/// with a quote in it goes to UnivocityLine instead.
class CsvTokenizer {
 public:
  explicit CsvTokenizer(const CsvOptions& options)
      : options_(options),
        quoted_line_(options.separator, options.quote.value_or('\0'), options.escape) {
    csv_init(&parser_, CSV_EMPTY_IS_NULL);
    csv_set_delim(&parser_, static_cast<unsigned char>(options.separator));
    // No quote character: 0 never starts a quoted field in text files.
    csv_set_quote(&parser_, static_cast<unsigned char>(options.quote.value_or('\0')));
    csv_set_space_func(&parser_, nothing_is_space);
    csv_set_blk_size(&parser_, kInitialBlock);
  }

  ~CsvTokenizer() { csv_free(&parser_); }

  CsvTokenizer(const CsvTokenizer&) = delete;
  CsvTokenizer& operator=(const CsvTokenizer&) = delete;
  CsvTokenizer(CsvTokenizer&&) = delete;
  CsvTokenizer& operator=(CsvTokenizer&&) = delete;

  /// Calls `on_record(const Record&)` for every record of `text`. An exception thrown by
  /// `on_record` stops the parse and is rethrown here (never through libcsv's C frames).
  template <typename OnRecord>
  void parse(std::string_view text, OnRecord& on_record) {
    context_ = &on_record;
    deliver_ = [](void* context, const Record& record) {
      (*static_cast<OnRecord*>(context))(record);
    };
    failure_ = nullptr;
    reset_row();
    // Spark's escape only matters inside quotes and only when it differs from the quote;
    // most files never contain it, so the check is one memchr per file.
    escaping_ = options_.quote && options_.escape != '\0' && options_.escape != *options_.quote &&
                std::memchr(text.data(), options_.escape, text.size()) != nullptr;
    if (options_.multi_line) {
      parse_spanning_lines(text);
    } else {
      parse_lines(text);
    }
    if (!failure_) csv_fini(&parser_, on_field, on_row, this);
    // Leave the parser clean for the next file even after a failure.
    parser_.pstate = kLibcsvRowNotBegun;
    parser_.quoted = 0;
    parser_.entry_pos = 0;
    parser_.spaces = 0;
    if (failure_) std::rethrow_exception(failure_);
    if (csv_error(&parser_) != CSV_SUCCESS) {
      throw ParseError(fmt::format("CSV parser failed: {}", csv_strerror(csv_error(&parser_))));
    }
  }

 private:
  static std::size_t end_of_line(std::string_view text, std::size_t position) {
    const void* newline = std::memchr(text.data() + position, '\n', text.size() - position);
    return newline == nullptr
               ? text.size()
               : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data());
  }

  // multiLine=true: libcsv sees the file whole, so a quoted field runs on across lines.
  void parse_spanning_lines(std::string_view text) {
    std::size_t line = 0;
    for (std::size_t position = 0; position < text.size() && !failure_;) {
      const std::size_t end = std::min(end_of_line(text, position) + 1, text.size());
      ++line;
      if (parser_.pstate == kLibcsvRowNotBegun) record_.line = line;
      feed(text.substr(position, end - position));
      position = end;
    }
  }

  // multiLine=false, Spark's default: Hadoop's line reader splits the file at \n, \r\n and a
  // lone \r, and univocity parses each line on its own, so a quote left open ends with its
  // line instead of swallowing the lines after it.
  void parse_lines(std::string_view text) {
    std::size_t line = 0;
    for (std::size_t position = 0; position < text.size() && !failure_;) {
      const std::size_t end = end_of_line(text, position);
      std::string_view rest = text.substr(position, end - position);
      position = end + 1;
      if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
      for (std::size_t carriage_return = 0; carriage_return != std::string_view::npos;) {
        carriage_return = rest.find('\r');
        parse_line(rest.substr(0, carriage_return), ++line);
        if (failure_) return;
        rest.remove_prefix(carriage_return == std::string_view::npos ? rest.size()
                                                                     : carriage_return + 1);
      }
    }
  }

  void parse_line(std::string_view content, std::size_t line) {
    // Spark skips lines that String.trim empties: nothing but bytes up to 0x20.
    if (std::all_of(content.begin(), content.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= 0x20U; })) {
      return;
    }
    record_.line = line;
    if (options_.quote && std::memchr(content.data(), *options_.quote, content.size()) != nullptr) {
      // univocity's quote rules are not RFC 4180's, which are libcsv's.
      RowSink sink(*this);
      quoted_line_.parse(content, sink);
      on_row(0, this);
      return;
    }
    if (split_unquoted(content)) return;
    feed(content);
    csv_fini(&parser_, on_field, on_row, this);
  }

  // A line without a quote character is to libcsv nothing but fields between separators (it
  // sees no line break and, told that nothing is a space, trims nothing; an escape outside
  // quotes is data), an empty one null. Splitting such a line here skips libcsv's
  // byte-at-a-time state machine and the copy into the row buffer: most of a plain file's
  // read. The fields are views into `content`, which outlives the callback.
  bool split_unquoted(std::string_view content) {
    // Without a quote option libcsv is told '\0', which then opens a quoted field.
    const char quote = options_.quote.value_or('\0');
    if (std::memchr(content.data(), quote, content.size()) != nullptr) return false;
    try {
      record_.fields.clear();
      record_.unquoted_empty.clear();
      for (;;) {
        const std::size_t end = content.find(options_.separator);
        const std::string_view field = content.substr(0, end);
        record_.fields.push_back(field);
        record_.unquoted_empty.push_back(field.empty());
        if (end == std::string_view::npos) break;
        content.remove_prefix(end + 1);
      }
      deliver_(context_, record_);
      record_.unquoted_empty.clear();
    } catch (...) {
      failure_ = std::current_exception();
    }
    return true;
  }

  struct RowSink final : UnivocityLine::Sink {
    explicit RowSink(CsvTokenizer& tokenizer) : tokenizer_(tokenizer) {}
    void value(std::string_view bytes) override {
      // Never a null pointer, which would mean an unquoted empty field.
      on_field(const_cast<char*>(value_bytes(bytes)), bytes.size(), &tokenizer_);
    }
    void empty() override { on_field(nullptr, 0, &tokenizer_); }

   private:
    static const char* value_bytes(std::string_view bytes) {
      return bytes.data() != nullptr ? bytes.data() : "";
    }
    CsvTokenizer& tokenizer_;
  };

  // Spark's escape layered over libcsv's doubled quote; only lines without a quote (where it
  // changes nothing) and multiLine files come here.
  void feed(std::string_view chunk) {
    if (!escaping_ || std::memchr(chunk.data(), options_.escape, chunk.size()) == nullptr) {
      parse_bytes(chunk);
      return;
    }
    const char quote = *options_.quote;
    const char escape = options_.escape;
    while (!chunk.empty()) {
      const std::size_t at = chunk.find(escape);
      if (at == std::string_view::npos) {
        parse_bytes(chunk);
        return;
      }
      parse_bytes(chunk.substr(0, at));
      chunk.remove_prefix(at);
      const bool in_quotes = parser_.pstate == kLibcsvFieldBegun && parser_.quoted != 0;
      if (in_quotes && chunk.size() >= 2 && chunk[1] == quote) {
        // `\"` inside quotes: a literal quote, which libcsv spells `""`.
        const std::array<char, 2> doubled{quote, quote};
        parse_bytes(std::string_view(doubled.data(), doubled.size()));
        chunk.remove_prefix(2);
      } else if (in_quotes && chunk.size() >= 3 && chunk[1] == escape && chunk[2] == quote) {
        // `\\"`: an escaped escape, then the closing quote (Spark's charToEscapeQuoteEscaping,
        // which defaults to the escape character itself).
        parse_bytes(chunk.substr(0, 1));
        chunk.remove_prefix(2);
      } else {
        parse_bytes(chunk.substr(0, 1));
        chunk.remove_prefix(1);
      }
    }
  }

  void parse_bytes(std::string_view bytes) {
    // libcsv grows its field buffer by a fixed block, which copies a huge field over and over
    // (quadratic: minutes for a 100 MB value). Fed in slices, with the block raised to the
    // buffer's size before each, the buffer doubles instead.
    while (!bytes.empty() && !failure_) {
      const std::string_view slice = bytes.substr(0, kParseSlice);
      csv_set_blk_size(&parser_, std::max(kInitialBlock, parser_.entry_size));
      csv_parse(&parser_, slice.data(), slice.size(), on_field, on_row, this);
      bytes.remove_prefix(slice.size());
    }
  }

  void reset_row() {
    row_bytes_.clear();
    spans_.clear();
    record_.unquoted_empty.clear();
  }

  static void on_field(void* data, std::size_t length, void* self_pointer) noexcept {
    auto& self = *static_cast<CsvTokenizer*>(self_pointer);
    if (self.failure_) return;
    try {
      self.spans_.emplace_back(self.row_bytes_.size(), length);
      self.record_.unquoted_empty.push_back(data == nullptr);
      if (data != nullptr) self.row_bytes_.append(static_cast<const char*>(data), length);
    } catch (...) {
      self.failure_ = std::current_exception();
    }
  }

  static void on_row(int /*terminator*/, void* self_pointer) noexcept {
    auto& self = *static_cast<CsvTokenizer*>(self_pointer);
    if (self.failure_) return;
    try {
      self.record_.fields.clear();
      for (const auto& [offset, length] : self.spans_) {
        self.record_.fields.emplace_back(self.row_bytes_.data() + offset, length);
      }
      self.deliver_(self.context_, self.record_);
      self.reset_row();
    } catch (...) {
      self.failure_ = std::current_exception();
    }
  }

  const CsvOptions& options_;
  UnivocityLine quoted_line_;
  csv_parser parser_{};
  bool escaping_ = false;
  std::string row_bytes_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  Record record_;
  void* context_ = nullptr;
  void (*deliver_)(void*, const Record&) = nullptr;
  std::exception_ptr failure_;
};

// ---------------------------------------------------------------------------------------------
// Value parsing with the rules of Spark's CSV reader (UnivocityParser and CSVInferSchema),
// which are Java's: Integer.parseInt and Long.parseLong accept no white space, while
// Double.parseDouble trims it. So " 39" is a double to Spark's inference, and "39" an int.

// Spark's toSQLType for a message: the catalog string in upper case, `ARRAY<INT>`.
std::string sql_type_name(const DataType& type) {
  std::string name = type.to_string();
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

bool has_outer_space(std::string_view text) {
  return std::isspace(static_cast<unsigned char>(text.front())) != 0 ||
         std::isspace(static_cast<unsigned char>(text.back())) != 0;
}

std::optional<std::int64_t> csv_integral(std::string_view text) {
  if (text.empty() || has_outer_space(text)) return std::nullopt;
  return parse_long(text);
}

std::optional<double> csv_double(std::string_view text) {
  // Spark's CSV defaults for nanValue, positiveInf and negativeInf.
  if (text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  return parse_java_double(text);
}

// Scala's String.toBoolean: true or false in any case, nothing else (not "1", not "yes").
std::optional<bool> csv_boolean(std::string_view text) {
  const auto equals = [text](std::string_view word) {
    return text.size() == word.size() &&
           std::equal(text.begin(), text.end(), word.begin(), [](char left, char right) {
             return std::tolower(static_cast<unsigned char>(left)) == right;
           });
  };
  if (equals("true")) return true;
  if (equals("false")) return false;
  return std::nullopt;
}

// Float.parseFloat, or Spark's CSV defaults for nanValue, positiveInf and negativeInf.
std::optional<float> csv_float(std::string_view text) {
  if (text == "Inf") return std::numeric_limits<float>::infinity();
  if (text == "-Inf") return -std::numeric_limits<float>::infinity();
  return parse_java_float(text);
}

bool fits_int(std::int64_t value) {
  return value >= std::numeric_limits<std::int32_t>::min() &&
         value <= std::numeric_limits<std::int32_t>::max();
}

/// The lattice of inferred CSV types (CSVInferSchema), with a decimal's precision beside it (its
/// scale is always 0: the reader infers a decimal only for integers beyond a bigint).
enum class Inferred { kNull, kInt, kLong, kDecimal, kDouble, kDate, kTimestamp, kBoolean, kString };

struct InferredType {
  Inferred kind = Inferred::kNull;
  int precision = 0;  ///< kDecimal only

  friend bool operator==(const InferredType&, const InferredType&) = default;
};

// DecimalType.forType of an integer type: the digits its values can have.
int integer_precision(Inferred kind) {
  return kind == Inferred::kInt ? 10 : 20;
}

bool is_integer(Inferred kind) {
  return kind == Inferred::kInt || kind == Inferred::kLong;
}

// Spark 3.5's CSVInferSchema.compatibleType: findTightestCommonType, then the CSV rules.
InferredType merge(InferredType left, InferredType right) {
  if (left == right || right.kind == Inferred::kNull) return left;
  if (left.kind == Inferred::kNull) return right;
  const Inferred a = left.kind;
  const Inferred b = right.kind;
  if (is_integer(a) && is_integer(b)) return {std::max(a, b), 0};
  if (a == Inferred::kDecimal && b == Inferred::kDecimal) {
    return {Inferred::kDecimal, std::max(left.precision, right.precision)};
  }
  if (is_integer(a) && b == Inferred::kDecimal) {
    return {Inferred::kDecimal, std::max(integer_precision(a), right.precision)};
  }
  if (a == Inferred::kDecimal && is_integer(b)) {
    return {Inferred::kDecimal, std::max(left.precision, integer_precision(b))};
  }
  const auto numeric = [](Inferred kind) {
    return is_integer(kind) || kind == Inferred::kDecimal || kind == Inferred::kDouble;
  };
  if (numeric(a) && numeric(b)) return {Inferred::kDouble, 0};
  // Spark 3.5 widens a date to a timestamp (findWiderDateTimeType).
  if ((a == Inferred::kDate && b == Inferred::kTimestamp) ||
      (a == Inferred::kTimestamp && b == Inferred::kDate)) {
    return {Inferred::kTimestamp, 0};
  }
  return {Inferred::kString, 0};
}

DataType to_data_type(InferredType type) {
  switch (type.kind) {
    case Inferred::kInt:
      return int_type();
    case Inferred::kLong:
      return long_type();
    case Inferred::kDecimal:
      return decimal_type(type.precision, 0);
    case Inferred::kDouble:
      return double_type();
    case Inferred::kDate:
      return date_type();
    case Inferred::kTimestamp:
      return timestamp_type();
    case Inferred::kBoolean:
      return boolean_type();
    case Inferred::kNull:  // Spark: a column with no value at all is a string column
    case Inferred::kString:
      return string_type();
  }
  return string_type();
}

/// One field's inferred type and the value it was parsed to on the way.
struct InferredField {
  InferredType type;
  std::int64_t integer = 0;  ///< int, bigint, date (days), timestamp (microseconds)
  Int128 wide = 0;           ///< decimal
  double real = 0;
  bool boolean = false;
};

// CSVInferSchema.inferField's chain: each step tries one type, and on failure hands over to the
// next one; where the chain starts depends on the type so far (a column that is already a
// decimal does not try int again).
class FieldInference {
 public:
  explicit FieldInference(std::string_view text) : text_(text) {}

  InferredField from(Inferred so_far) {
    switch (so_far) {
      case Inferred::kNull:
      case Inferred::kInt:
        return try_integer();
      case Inferred::kLong:
        return try_long();
      case Inferred::kDecimal:
        return try_decimal();
      case Inferred::kDouble:
        return try_double();
      case Inferred::kDate:
        return try_date();
      case Inferred::kTimestamp:
        return try_timestamp();
      case Inferred::kBoolean:
        return try_boolean();
      case Inferred::kString:
        break;
    }
    return {};
  }

 private:
  InferredField try_integer() {
    if (const auto value = csv_integral(text_); value && fits_int(*value)) {
      return with_integer(Inferred::kInt, *value);
    }
    return try_long();
  }

  InferredField try_long() {
    if (const auto value = csv_integral(text_)) return with_integer(Inferred::kLong, *value);
    return try_decimal();
  }

  // new BigDecimal(field): kept as a decimal only without a fraction (scale 0: a negative scale,
  // as of 1e5, or more than 38 digits is not a DecimalType, so the field goes on to double).
  InferredField try_decimal() {
    const std::optional<DecimalText> number = parse_decimal_text(text_);
    if (number && number->scale() == 0 && number->precision() <= kMaxDecimalPrecision) {
      InferredField field;
      field.type = {Inferred::kDecimal, static_cast<int>(number->precision())};
      field.wide = *rescale_text(*number, kMaxDecimalPrecision, 0);
      return field;
    }
    return try_double();
  }

  InferredField try_double() {
    if (const auto value = csv_double(text_)) {
      InferredField field;
      field.type.kind = Inferred::kDouble;
      field.real = *value;
      return field;
    }
    return try_date();
  }

  // preferDate (true by default): the strict yyyy-MM-dd format.
  InferredField try_date() {
    if (is_strict_iso_date(text_)) {
      if (const auto days = parse_date(text_)) return with_integer(Inferred::kDate, *days);
    }
    return try_timestamp();
  }

  // The timestamp parsers with and without a zone both end in a timestamp column (the session's
  // default timestamp type is TIMESTAMP_LTZ).
  InferredField try_timestamp() {
    if (const auto micros = parse_timestamp(text_)) {
      return with_integer(Inferred::kTimestamp, *micros);
    }
    return try_boolean();
  }

  InferredField try_boolean() {
    InferredField field;
    if (const auto value = csv_boolean(text_)) {
      field.type.kind = Inferred::kBoolean;
      field.boolean = *value;
    } else {
      field.type.kind = Inferred::kString;
    }
    return field;
  }

  static InferredField with_integer(Inferred kind, std::int64_t value) {
    InferredField field;
    field.type.kind = kind;
    field.integer = value;
    return field;
  }

  std::string_view text_;
};

/// One column of one file while it is read with inference: the raw text (needed should the
/// column end up a string) and the values parsed while inferring, so that no field is parsed
/// twice. One of the value vectors holds one entry per row, whichever the type so far needs
/// (0 for null rows): `integers` for null, int, bigint, date and timestamp, `decimals`,
/// `doubles` or `bools`.
struct InferringColumn {
  ColumnBuilder raw{string_type()};
  InferredType type;
  std::vector<std::int64_t> integers;
  std::vector<Int128> decimals;
  std::vector<double> doubles;
  std::vector<std::uint8_t> bools;

  void append_null() {
    raw.append_null();
    switch (type.kind) {
      case Inferred::kDecimal:
        decimals.push_back(0);
        break;
      case Inferred::kDouble:
        doubles.push_back(0);
        break;
      case Inferred::kBoolean:
        bools.push_back(0);
        break;
      case Inferred::kString:
        break;
      default:
        integers.push_back(0);
        break;
    }
  }

  void append(std::string_view text) {
    raw.append_bytes(text);
    if (type.kind == Inferred::kString) return;
    const InferredField field = FieldInference(text).from(type.kind);
    const InferredType merged = merge(type, field.type);
    if (merged.kind != type.kind) convert_to(merged.kind);
    type = merged;
    switch (type.kind) {
      case Inferred::kDecimal:
        decimals.push_back(field.type.kind == Inferred::kDecimal ? field.wide : field.integer);
        break;
      case Inferred::kDouble:
        doubles.push_back(field.real);
        break;
      case Inferred::kBoolean:
        bools.push_back(field.boolean ? 1 : 0);
        break;
      case Inferred::kTimestamp:
        integers.push_back(field.type.kind == Inferred::kDate ? field.integer * kMicrosPerDay
                                                              : field.integer);
        break;
      case Inferred::kString:
        break;
      default:
        integers.push_back(field.integer);
        break;
    }
  }

  // Moves the values of the rows so far to the vector of `kind` (a wider type).
  void convert_to(Inferred kind) {
    const Inferred from = type.kind;
    switch (kind) {
      case Inferred::kDecimal:
        decimals.assign(integers.begin(), integers.end());
        integers = {};
        break;
      case Inferred::kDouble:
        doubles.reserve(integers.size() + decimals.size());
        // int64 (or int128) -> double rounds to nearest, as parsing the same digits would.
        for (const std::int64_t value : integers) doubles.push_back(static_cast<double>(value));
        for (const Int128 value : decimals) doubles.push_back(static_cast<double>(value));
        integers = {};
        decimals = {};
        break;
      case Inferred::kBoolean:
        bools.assign(integers.size(), 0);
        integers = {};
        break;
      case Inferred::kTimestamp:
        if (from == Inferred::kDate) {
          for (std::int64_t& value : integers) value *= kMicrosPerDay;
        }
        break;
      case Inferred::kString:
        integers = {};
        decimals = {};
        doubles = {};
        bools = {};
        break;
      default:  // int, bigint, date: the rows so far were null
        break;
    }
  }
};

/// How a field of a user-given schema is converted; a failed conversion makes the row
/// malformed.
struct Cell {
  bool null = true;
  std::int64_t integer = 0;
  Int128 wide = 0;
  double real = 0;
  std::string_view text;
};

/// One file's columns as they are read, before the final types are known.
struct FileData;
std::shared_ptr<const RowOrigin> origin_of(FileData& file);

struct FileData {
  std::string path;
  std::size_t rows = 0;
  std::vector<std::size_t> lines;          // the line of each row, for error messages
  std::vector<InferringColumn> inferring;  // without a user schema
  std::vector<ColumnBuilder> typed;        // with a user schema
};

std::shared_ptr<const RowOrigin> origin_of(FileData& file) {
  auto origin = std::make_shared<RowOrigin>();
  origin->files.push_back({file.path, 0});
  origin->lines = std::move(file.lines);
  return origin;
}

/// Spark's CSVUtils.makeSafeHeader (case-insensitive, the default): empty or null names
/// become `_c<index>`, duplicate names get their index appended.
std::vector<std::string> safe_header(const Record& record, const CsvOptions& options) {
  std::vector<std::string> lower_names;
  for (std::size_t index = 0; index < record.fields.size(); ++index) {
    if (!record.unquoted_empty[index]) lower_names.push_back(to_lower(record.fields[index]));
  }
  std::multiset<std::string> counts(lower_names.begin(), lower_names.end());
  std::vector<std::string> names;
  for (std::size_t index = 0; index < record.fields.size(); ++index) {
    const std::string_view name = record.fields[index];
    if (record.unquoted_empty[index] || name.empty() || name == options.null_value) {
      names.push_back(fmt::format("_c{}", index));
    } else if (counts.count(to_lower(name)) > 1) {
      names.push_back(fmt::format("{}{}", name, index));
    } else {
      names.emplace_back(name);
    }
  }
  return names;
}

class CsvRead {
 public:
  CsvRead(const CsvOptions& options, const std::optional<Schema>& schema)
      : options_(options), user_schema_(schema) {
    if (user_schema_) {
      for (const Field& field : user_schema_->fields()) {
        const TypeId id = field.type.id();
        // Spark's CSV source has no binary columns either: its fields are decoded text.
        if (id == TypeId::kArray || id == TypeId::kStruct || id == TypeId::kBinary) {
          throw AnalysisError(fmt::format(
              "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the "
              "column `{}` of the type \"{}\".",
              field.name, sql_type_name(field.type)));
        }
      }
      column_count_ = user_schema_->size();
      columns_defined_ = true;
    }
  }

  void read_file(const std::string& path) { read_text(path, read_whole_file(path)); }

  void read_text(const std::string& path, std::string_view text) {
    // Spark decodes the text (Java's decoder: U+FFFD for each malformed sequence) before it
    // parses; valid text, the usual case, costs one validation pass.
    std::string decoded;
    text = valid_utf8(without_byte_order_marks(text), decoded);
    files_.push_back(FileData{path, 0, {}, {}, {}});
    FileData& file = files_.back();
    start_columns(file);
    bool first_record = true;
    auto on_record = [&](const Record& record) {
      const bool is_first = std::exchange(first_record, false);
      if (!columns_defined_) define_columns(record, file);
      if (is_first && options_.header) return;  // every file repeats the header
      if (user_schema_) {
        append_typed(file, record);
      } else {
        append_inferring(file, record);
      }
    };
    tokenizer_.parse(text, on_record);
  }

  DataFrame finish(std::shared_ptr<SessionState> session) {
    if (!columns_defined_) {
      // Files without a single record: Spark infers an empty schema, so an empty frame.
      return {Schema(), std::vector<Partition>(files_.size()), std::move(session)};
    }
    if (user_schema_) return finish_typed(std::move(session));
    // Files read before the columns were known (empty ones, sorted first) have no columns yet:
    // they read as all-null columns of the final types.
    for (FileData& file : files_) file.inferring.resize(column_count_);
    std::vector<InferredType> types(column_count_);
    if (options_.infer_schema) {
      for (const FileData& file : files_) {
        for (std::size_t column = 0; column < column_count_; ++column) {
          types[column] = merge(types[column], file.inferring[column].type);
        }
      }
    } else {
      std::fill(types.begin(), types.end(), InferredType{Inferred::kString, 0});
    }
    std::vector<Field> fields;
    for (std::size_t column = 0; column < column_count_; ++column) {
      fields.push_back(Field{names_[column], to_data_type(types[column]), true});
    }
    std::vector<Partition> partitions;
    for (FileData& file : files_) {
      Partition partition;
      partition.num_rows = file.rows;
      partition.origin = origin_of(file);
      for (std::size_t column = 0; column < column_count_; ++column) {
        partition.columns.push_back(materialize(file.inferring[column], types[column], file.rows));
      }
      partitions.push_back(std::move(partition));
    }
    return {Schema(std::move(fields)), std::move(partitions), std::move(session)};
  }

 private:
  // Hadoop's line reader drops a UTF-8 byte-order mark at the start of a file, and univocity
  // one more from the first line it parses; with multiLine univocity's input drops just one
  // (both seen with Spark 3.5.7). A mark anywhere else is data.
  std::string_view without_byte_order_marks(std::string_view text) const {
    constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
    for (int mark = options_.multi_line ? 1 : 2; mark > 0 && text.starts_with(kByteOrderMark);
         --mark) {
      text.remove_prefix(kByteOrderMark.size());
    }
    return text;
  }

  void start_columns(FileData& file) const {
    if (!columns_defined_) return;
    if (user_schema_) {
      for (const Field& field : user_schema_->fields()) file.typed.emplace_back(field.type);
    } else {
      file.inferring.resize(column_count_);
    }
  }

  // The first record of the whole read fixes the columns (Spark reads the first line).
  void define_columns(const Record& record, FileData& file) {
    column_count_ = record.fields.size();
    names_ = safe_header(record, options_);
    if (!options_.header) {
      for (std::size_t index = 0; index < column_count_; ++index) {
        names_[index] = fmt::format("_c{}", index);
      }
    }
    columns_defined_ = true;
    start_columns(file);
  }

  bool is_null(const Record& record, std::size_t index) const {
    return record.unquoted_empty[index] || record.fields[index] == options_.null_value;
  }

  // Checks the field count; returns false when the row is to be dropped.
  bool accept_field_count(const FileData& file, const Record& record) const {
    if (record.fields.size() == column_count_) return true;
    switch (options_.mode) {
      case ParseMode::kPermissive:
        return true;  // missing fields read as null, extra ones are dropped
      case ParseMode::kDropMalformed:
        return false;
      case ParseMode::kFailFast:
        throw ParseError(
            fmt::format("Malformed CSV record in {} at line {}: expected {} fields, "
                        "found {}",
                        file.path, record.line, column_count_, record.fields.size()));
    }
    return true;
  }

  void append_inferring(FileData& file, const Record& record) {
    if (!accept_field_count(file, record)) return;
    const std::size_t present = std::min(record.fields.size(), column_count_);
    for (std::size_t column = 0; column < present; ++column) {
      InferringColumn& target = file.inferring[column];
      if (is_null(record, column)) {
        target.append_null();
      } else if (options_.infer_schema) {
        target.append(record.fields[column]);
      } else {
        target.raw.append_bytes(record.fields[column]);
      }
    }
    for (std::size_t column = present; column < column_count_; ++column) {
      if (options_.infer_schema) {
        file.inferring[column].append_null();
      } else {
        file.inferring[column].raw.append_null();
      }
    }
    file.lines.push_back(record.line);
    ++file.rows;
  }

  // Converts `text` to `type`; false when it does not convert.
  static bool convert(std::string_view text, const DataType& type, Cell& cell) {
    cell.null = false;
    switch (type.id()) {
      case TypeId::kInt: {
        const auto value = csv_integral(text);
        if (!value || !fits_int(*value)) return false;
        cell.integer = *value;
        return true;
      }
      case TypeId::kLong: {
        const auto value = csv_integral(text);
        if (!value) return false;
        cell.integer = *value;
        return true;
      }
      case TypeId::kDouble: {
        const auto value = csv_double(text);
        if (!value) return false;
        cell.real = *value;
        return true;
      }
      case TypeId::kBoolean: {
        const auto value = csv_boolean(text);
        if (!value) return false;
        cell.integer = *value ? 1 : 0;
        return true;
      }
      case TypeId::kTimestamp: {
        const auto value = parse_timestamp(text);
        if (!value) return false;
        cell.integer = *value;
        return true;
      }
      case TypeId::kByte:
      case TypeId::kShort: {
        // Byte.parseByte and Short.parseShort: digits that fit.
        const auto value = csv_integral(text);
        const std::int64_t limit = type.id() == TypeId::kByte ? 127 : 32767;
        if (!value || *value > limit || *value < -limit - 1) return false;
        cell.integer = *value;
        return true;
      }
      case TypeId::kFloat: {
        const auto value = csv_float(text);
        if (!value) return false;
        cell.real = *value;
        return true;
      }
      case TypeId::kDecimal: {
        // new BigDecimal(field) (no white space), rounded HALF_UP to the scale; too many digits
        // make the row malformed.
        const std::optional<DecimalText> number = parse_decimal_text(text);
        if (!number) return false;
        const auto value = rescale_text(*number, type.precision(), type.scale());
        if (!value) return false;
        cell.wide = *value;
        return true;
      }
      case TypeId::kDate: {
        const auto value = parse_date(text);
        if (!value) return false;
        cell.integer = *value;
        return true;
      }
      case TypeId::kString:
      case TypeId::kBinary:
        cell.text = text;
        return true;
      case TypeId::kNull:
        cell.null = true;
        return true;
      case TypeId::kArray:
      case TypeId::kStruct:
        break;
    }
    return false;
  }

  void append_typed(FileData& file, const Record& record) {
    if (!accept_field_count(file, record)) return;
    cells_.assign(column_count_, Cell{});
    const std::size_t present = std::min(record.fields.size(), column_count_);
    for (std::size_t column = 0; column < present; ++column) {
      const DataType& type = user_schema_->field(column).type;
      const std::string_view text = record.fields[column];
      if (is_null(record, column)) continue;
      // An empty quoted field is an empty string to a string column, null to any other
      // (Spark's empty value is "", which no number parses).
      if (text.empty() && type.id() != TypeId::kString && type.id() != TypeId::kBinary) continue;
      if (convert(text, type, cells_[column])) continue;
      cells_[column].null = true;
      switch (options_.mode) {
        case ParseMode::kPermissive:
          break;
        case ParseMode::kDropMalformed:
          return;
        case ParseMode::kFailFast:
          throw ParseError(fmt::format(
              "Malformed CSV record in {} at line {}, column '{}': cannot parse '{}' as {}",
              file.path, record.line, user_schema_->field(column).name, text, type.to_string()));
      }
    }
    for (std::size_t column = 0; column < column_count_; ++column) {
      const Cell& cell = cells_[column];
      ColumnBuilder& builder = file.typed[column];
      if (cell.null) {
        builder.append_null();
        continue;
      }
      switch (builder.type().id()) {
        case TypeId::kByte:
          builder.append_byte(static_cast<std::int8_t>(cell.integer));
          break;
        case TypeId::kShort:
          builder.append_short(static_cast<std::int16_t>(cell.integer));
          break;
        case TypeId::kInt:
        case TypeId::kDate:
          builder.append_int(static_cast<std::int32_t>(cell.integer));
          break;
        case TypeId::kLong:
        case TypeId::kTimestamp:
          builder.append_long(cell.integer);
          break;
        case TypeId::kFloat:
          builder.append_float(static_cast<float>(cell.real));
          break;
        case TypeId::kDouble:
          builder.append_double(cell.real);
          break;
        case TypeId::kDecimal:
          builder.append_decimal(make_decimal(cell.wide, builder.type().scale()));
          break;
        case TypeId::kBoolean:
          builder.append_boolean(cell.integer != 0);
          break;
        default:
          builder.append_bytes(cell.text);
          break;
      }
    }
    file.lines.push_back(record.line);
    ++file.rows;
  }

  // The column's values in the final type, which is this file's type or one it widens to.
  static ColumnVector materialize(InferringColumn& column, InferredType type, std::size_t rows) {
    ColumnVector raw = column.raw.finish();
    if (type.kind == Inferred::kString || type.kind == Inferred::kNull) return raw;
    ColumnBuilder builder(to_data_type(type));
    builder.reserve(rows);
    const Inferred own = column.type.kind;
    for (std::size_t row = 0; row < rows; ++row) {
      if (raw.is_null(row)) {
        builder.append_null();
        continue;
      }
      switch (type.kind) {
        case Inferred::kInt:
          builder.append_int(static_cast<std::int32_t>(column.integers[row]));
          break;
        case Inferred::kLong:
          builder.append_long(column.integers[row]);
          break;
        case Inferred::kDecimal:
          builder.append_decimal(make_decimal(
              own == Inferred::kDecimal ? column.decimals[row] : column.integers[row], 0));
          break;
        case Inferred::kDouble:
          builder.append_double(own == Inferred::kDouble ? column.doubles[row]
                                : own == Inferred::kDecimal
                                    ? static_cast<double>(column.decimals[row])
                                    : static_cast<double>(column.integers[row]));
          break;
        case Inferred::kDate:
          builder.append_int(static_cast<std::int32_t>(column.integers[row]));
          break;
        case Inferred::kTimestamp:
          builder.append_long(own == Inferred::kDate ? column.integers[row] * kMicrosPerDay
                                                     : column.integers[row]);
          break;
        case Inferred::kBoolean:
          builder.append_boolean(column.bools[row] != 0);
          break;
        case Inferred::kNull:
        case Inferred::kString:
          break;
      }
    }
    return builder.finish();
  }

  DataFrame finish_typed(std::shared_ptr<SessionState> session) {
    std::vector<Partition> partitions;
    for (FileData& file : files_) {
      Partition partition;
      partition.num_rows = file.rows;
      partition.origin = origin_of(file);
      for (ColumnBuilder& builder : file.typed) partition.columns.push_back(builder.finish());
      partitions.push_back(std::move(partition));
    }
    return {*user_schema_, std::move(partitions), std::move(session)};
  }

  const CsvOptions& options_;
  const std::optional<Schema>& user_schema_;
  CsvTokenizer tokenizer_{options_};
  bool columns_defined_ = false;
  std::size_t column_count_ = 0;
  std::vector<std::string> names_;
  std::vector<FileData> files_;
  std::vector<Cell> cells_;
};

}  // namespace

DataFrame read_csv(const std::vector<std::string>& files,
                   const CsvOptions& options,
                   const std::optional<Schema>& schema,
                   std::shared_ptr<SessionState> session) {
  if (files.empty() && !schema) {
    throw AnalysisError("Unable to infer schema for CSV. It must be specified manually.");
  }
  CsvRead read(options, schema);
  for (const std::string& file : files) read.read_file(file);
  return read.finish(std::move(session));
}

DataFrame read_csv_contents(const std::vector<FileContents>& inputs,
                            const CsvOptions& options,
                            const std::optional<Schema>& schema,
                            std::shared_ptr<SessionState> session) {
  if (inputs.empty() && !schema) {
    throw AnalysisError("Unable to infer schema for CSV. It must be specified manually.");
  }
  CsvRead read(options, schema);
  for (const FileContents& input : inputs) read.read_text(input.path, input.bytes);
  return read.finish(std::move(session));
}

}  // namespace kafkasink::detail
