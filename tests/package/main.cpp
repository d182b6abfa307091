// Builds a frame and converts it to JSON through the installed headers and library.
#include <iostream>
#include <string>

#include <kafkasink/kafkasink.hpp>

int main() {
  namespace ks = kafkasink;
  const ks::DataFrame frame = ks::DataFrame::from_rows(
      ks::Schema({{"id", ks::int_type()}, {"name", ks::string_type()}}), {{1, "one"}});
  const auto rows =
      frame.select({ks::to_json(ks::struct_(frame.columns())).alias("value")}).collect();
  std::cout << "kafkasink " << ks::version() << ": " << rows.at(0)[0].to_string() << '\n';
  // The installed headers and the installed library are one version.
  const std::string headers = std::to_string(KAFKASINK_VERSION_MAJOR) + "." +
                              std::to_string(KAFKASINK_VERSION_MINOR) + "." +
                              std::to_string(KAFKASINK_VERSION_PATCH);
  if (ks::version() != headers) return 1;
  return rows.at(0)[0].to_string() == R"({"id":1,"name":"one"})" ? 0 : 1;
}
