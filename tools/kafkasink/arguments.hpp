// Command-line arguments of the kafkasink tool: a small parser for `--name value`,
// `--name=value`, boolean `--flag`s, repeatable options (`-X key=value`) and positionals.
//
// Each command describes its options in a CommandSpec; the parser checks the arguments
// against it and the same spec prints the command's --help, so the two cannot disagree.
// Anything the user got wrong is a UsageError, which every command turns into exit code 2.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkasink::tool {

/// Exit codes shared by every command.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;   ///< the work failed: records not delivered, ...
inline constexpr int kExitBadUsage = 2;  ///< bad arguments or bad input

/// Bad arguments or bad input; the message names the flag, file or column.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One option a command accepts.
struct OptionSpec {
  std::string name;         ///< `--topic`, or `-X` for a short one
  std::string value_name;   ///< `T` in `--topic T`; empty for a boolean flag
  std::string help;         ///< one line
  bool repeatable = false;  ///< may be given more than once (values kept in order)
  std::string alias;        ///< another spelling, e.g. `-h` for `--help`
};

/// Whether an option may be given more than once.
enum class Repeat { kOnce, kMany };

/// A boolean flag such as `--header`.
inline OptionSpec flag_option(std::string name, std::string help, std::string alias = {}) {
  return {std::move(name), {}, std::move(help), false, std::move(alias)};
}

/// An option with a value such as `--topic T`.
inline OptionSpec value_option(std::string name,
                               std::string value_name,
                               std::string help,
                               Repeat repeat = Repeat::kOnce,
                               std::string alias = {}) {
  return {std::move(name), std::move(value_name), std::move(help), repeat == Repeat::kMany,
          std::move(alias)};
}

/// What a command accepts, and the text of its --help.
struct CommandSpec {
  std::string usage;        ///< `kafkasink write FILE_OR_DIR --topic T [options]`
  std::string description;  ///< a paragraph
  std::vector<OptionSpec> options;
  std::size_t min_positionals = 0;
  std::size_t max_positionals = 0;
  std::string positional_name;  ///< for messages: `FILE_OR_DIR`
};

/// Parsed arguments, looked up by the option's main name.
class Arguments {
 public:
  /// Whether `name` was given (a flag, or an option with a value).
  bool has(std::string_view name) const;

  /// The (last) value of `name`, if given.
  std::optional<std::string> value(std::string_view name) const;

  /// Every value of a repeatable option, in order.
  std::vector<std::string> values(std::string_view name) const;

  const std::vector<std::string>& positionals() const noexcept { return positionals_; }

 private:
  friend Arguments parse_arguments(std::span<const std::string> arguments, const CommandSpec& spec);
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positionals_;
};

/// Parses `arguments` (without the program and command names). Throws UsageError for an
/// unknown option, a missing value (a flag followed by another of the command's flags counts
/// as one), a repeated non-repeatable option or the wrong number of
/// positionals. `--help` is not special here: give it in the spec and check `has("--help")`
/// before anything else.
Arguments parse_arguments(std::span<const std::string> arguments, const CommandSpec& spec);

/// The --help text of a command.
std::string help_text(const CommandSpec& spec);

/// `text` as a non-negative whole number in [minimum, maximum]; UsageError naming `option`
/// otherwise.
std::size_t parse_count(std::string_view option,
                        std::string_view text,
                        std::size_t minimum,
                        std::size_t maximum);

/// Splits `key=value` at the first `=`; UsageError naming `option`, with `example` as a correct
/// `key=value`, when there is no `=` or the key is empty. The message never shows the text (it
/// may be a secret).
std::pair<std::string, std::string> split_setting(std::string_view option,
                                                  std::string_view text,
                                                  std::string_view example);

}  // namespace kafkasink::tool
