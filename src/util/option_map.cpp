#include "util/option_map.hpp"

#include "util/text.hpp"

namespace kafkasink::detail {

OptionMap::OptionMap(std::initializer_list<std::pair<std::string, std::string>> options) {
  for (const auto& [key, value] : options) set(key, value);
}

OptionMap::OptionMap(const std::vector<std::pair<std::string, std::string>>& options) {
  for (const auto& [key, value] : options) set(key, value);
}

OptionMap::OptionMap(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) set(key, value);
}

void OptionMap::set(std::string key, std::string value) {
  std::string lower = to_lower(key);
  by_lower_key_.insert_or_assign(std::move(lower), Entry{std::move(key), std::move(value)});
}

const OptionMap::Entry* OptionMap::find(std::string_view key) const {
  const auto found = by_lower_key_.find(to_lower(key));
  return found == by_lower_key_.end() ? nullptr : &found->second;
}

}  // namespace kafkasink::detail
