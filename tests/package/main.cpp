// Builds a frame and converts it to JSON through the installed headers and library.
#include <iostream>

#include <kafkasink/kafkasink.hpp>

int main() {
  namespace ks = kafkasink;
  const ks::DataFrame frame = ks::DataFrame::from_rows(
      ks::Schema({{"id", ks::int_type()}, {"name", ks::string_type()}}), {{1, "one"}});
  const auto rows =
      frame.select({ks::to_json(ks::struct_(frame.columns())).alias("value")}).collect();
  std::cout << rows.at(0)[0].to_string() << '\n';
  return rows.at(0)[0].to_string() == R"({"id":1,"name":"one"})" ? 0 : 1;
}
