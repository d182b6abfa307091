// The string options of a read or a write, keyed as Spark keys them: case-insensitively.
//
// All four builders (DataFrameReader, DataFrameWriter, DataStreamReader, DataStreamWriter)
// record their `option()` calls in order, and `load()`, `save()` and `start()` fold them into
// one OptionMap, so every builder follows the one rule of Spark's CaseInsensitiveMap
// (sql/api/.../catalyst/util/CaseInsensitiveMap.scala, which all four of Spark's builders hold):
// keys compare ignoring case, and setting a key again in any spelling replaces both the earlier
// spelling and its value (`updated` drops every key `equalsIgnoreCase` the new one, then adds
// it). So `option("Topic", "a").option("topic", "b")` is `topic=b`, and
// `option("topic", "b").option("Topic", "a")` is `Topic=a`: the last call wins, in its spelling.
//
// Case is ASCII case: Spark lower-cases with `toLowerCase(Locale.ROOT)`, which also folds
// non-ASCII letters, but every option Spark and kafkasink know is ASCII, so a key that differs
// from a known one only in non-ASCII case matches neither here nor (being unknown) there.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkasink::detail {

class OptionMap {
 public:
  /// One option: the key as the user last spelled it, and its value.
  struct Entry {
    std::string key;
    std::string value;
  };

  OptionMap() = default;

  /// The options set in this order, as successive `set` calls.
  OptionMap(std::initializer_list<std::pair<std::string, std::string>> options);
  explicit OptionMap(const std::vector<std::pair<std::string, std::string>>& options);
  explicit OptionMap(const std::map<std::string, std::string>& options);

  /// Sets `key` to `value`, replacing an option whose key differs only in case (its spelling
  /// too: messages then name the key as last set).
  void set(std::string key, std::string value);

  /// The option `key` (any case), or null. Valid until the map is next changed.
  const Entry* find(std::string_view key) const;

  bool contains(std::string_view key) const { return find(key) != nullptr; }

  bool empty() const noexcept { return by_lower_key_.empty(); }
  std::size_t size() const noexcept { return by_lower_key_.size(); }

  /// Calls `visit(lower_key, entry)` for every option, in the order of the lower-cased keys.
  /// Spark's CaseInsensitiveMap iterates its lower-cased keys; this hands both spellings, so a
  /// caller takes the one Spark would use (e.g. the `kafka.` settings keep the lower-cased key,
  /// as KafkaSourceProvider.convertToSpecifiedParams passes them) and names the user's in a
  /// message.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const auto& [lower_key, entry] : by_lower_key_) visit(lower_key, entry);
  }

 private:
  std::map<std::string, Entry, std::less<>> by_lower_key_;
};

}  // namespace kafkasink::detail
