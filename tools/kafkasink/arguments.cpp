#include "arguments.hpp"

#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace kafkasink::tool {

bool Arguments::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::optional<std::string> Arguments::value(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end() || found->second.empty()) return std::nullopt;
  return found->second.back();
}

std::vector<std::string> Arguments::values(std::string_view name) const {
  const auto found = values_.find(name);
  return found == values_.end() ? std::vector<std::string>() : found->second;
}

namespace {

const OptionSpec* find_option(const CommandSpec& spec, std::string_view name) {
  for (const OptionSpec& option : spec.options) {
    if (option.name == name || (!option.alias.empty() && option.alias == name)) return &option;
  }
  return nullptr;
}

// Whether `argument` is one of the command's flags (`--topic`, `--topic=x`, `-Xkey=value`): as
// the value of a flag it is almost surely a forgotten value, as in `--topic --header`. A value
// that starts with `-` but names no flag (`--partition-column -1`) is still taken.
bool names_an_option(const CommandSpec& spec, std::string_view argument) {
  if (argument.size() < 2 || argument[0] != '-') return false;
  std::string_view name = argument;
  if (argument.starts_with("--")) {
    name = argument.substr(0, argument.find('='));
  } else {
    name = argument.substr(0, 2);
  }
  return find_option(spec, name) != nullptr;
}

}  // namespace

Arguments parse_arguments(std::span<const std::string> arguments, const CommandSpec& spec) {
  Arguments parsed;
  bool options_ended = false;  // after `--` everything is a positional
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (options_ended || argument.size() < 2 || argument[0] != '-') {
      parsed.positionals_.push_back(argument);
      continue;
    }
    if (argument == "--") {
      options_ended = true;
      continue;
    }
    std::string name = argument;
    std::optional<std::string> inline_value;
    if (argument.starts_with("--")) {
      if (const std::size_t equals = argument.find('='); equals != std::string::npos) {
        name = argument.substr(0, equals);
        inline_value = argument.substr(equals + 1);
      }
    } else if (argument.size() > 2) {  // -Xkey=value, as kcat accepts it
      name = argument.substr(0, 2);
      inline_value = argument.substr(2);
    }
    const OptionSpec* option = find_option(spec, name);
    if (option == nullptr) {
      throw UsageError(fmt::format("unknown option {} (see --help)", name));
    }
    std::vector<std::string>& values = parsed.values_[option->name];
    if (!option->repeatable && !values.empty()) {
      throw UsageError(fmt::format("{} given more than once", option->name));
    }
    if (option->value_name.empty()) {
      if (inline_value) throw UsageError(fmt::format("{} takes no value", option->name));
      values.emplace_back();
      continue;
    }
    if (inline_value) {
      values.push_back(std::move(*inline_value));
    } else if (index + 1 < arguments.size() && !names_an_option(spec, arguments[index + 1])) {
      values.push_back(arguments[++index]);
    } else {
      throw UsageError(
          fmt::format("{} needs a value: {} {}", option->name, option->name, option->value_name));
    }
  }
  if (find_option(spec, "--help") != nullptr && parsed.has("--help")) return parsed;
  const std::size_t count = parsed.positionals_.size();
  if (count < spec.min_positionals) {
    throw UsageError(fmt::format("missing {} (usage: {})", spec.positional_name, spec.usage));
  }
  if (count > spec.max_positionals) {
    throw UsageError(
        spec.max_positionals == 0
            ? fmt::format("unexpected argument '{}' (see --help)", parsed.positionals_.front())
            : fmt::format("unexpected argument '{}': only one {} is accepted",
                          parsed.positionals_[spec.max_positionals], spec.positional_name));
  }
  return parsed;
}

std::string help_text(const CommandSpec& spec) {
  std::string text = fmt::format("Usage: {}\n\n{}\n\nOptions:\n", spec.usage, spec.description);
  std::vector<std::string> left;
  std::size_t width = 0;
  for (const OptionSpec& option : spec.options) {
    std::string names = option.alias.empty() ? option.name : option.alias + ", " + option.name;
    if (!option.value_name.empty()) names += " " + option.value_name;
    width = std::max(width, names.size());
    left.push_back(std::move(names));
  }
  for (std::size_t index = 0; index < spec.options.size(); ++index) {
    text += fmt::format("  {:<{}}  {}\n", left[index], width, spec.options[index].help);
  }
  return text;
}

std::size_t parse_count(std::string_view option,
                        std::string_view text,
                        std::size_t minimum,
                        std::size_t maximum) {
  std::size_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < minimum ||
      number > maximum) {
    throw UsageError(fmt::format("{} expects a whole number from {} to {}, got '{}'", option,
                                 minimum, maximum, text));
  }
  return number;
}

std::pair<std::string, std::string> split_setting(std::string_view option,
                                                  std::string_view text,
                                                  std::string_view example) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    // Without `=` the whole text may be a secret typed in the wrong place: do not echo it.
    throw UsageError(fmt::format("{} expects key=value (e.g. {} {})", option, option, example));
  }
  return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

}  // namespace kafkasink::tool
