// The version: the header's macros, the library's version() and CMake's project version agree.
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <kafkasink/version.hpp>

namespace kafkasink {
namespace {

TEST(Version, TheLibraryReportsTheVersionOfItsHeaders) {
  EXPECT_EQ(std::string(version()), fmt::format("{}.{}.{}", KAFKASINK_VERSION_MAJOR,
                                                KAFKASINK_VERSION_MINOR, KAFKASINK_VERSION_PATCH));
  EXPECT_EQ(std::string(version()), KAFKASINK_PROJECT_VERSION);
}

TEST(Version, TheNumberOrdersVersions) {
  EXPECT_EQ(KAFKASINK_VERSION, KAFKASINK_VERSION_MAJOR * 10000 + KAFKASINK_VERSION_MINOR * 100 +
                                   KAFKASINK_VERSION_PATCH);
  static_assert(KAFKASINK_VERSION_MINOR < 100 && KAFKASINK_VERSION_PATCH < 100);
}

}  // namespace
}  // namespace kafkasink
