// The version of kafkasink, at compile time (the macros) and at run time (version()).
//
// The macros are the version of the headers a program was compiled against; version() is the
// version of the library it runs with. With a shared library the two can differ: a program
// may check that the major versions agree (see "Compatibility" in README.md). This header is
// the one source of the version: CMake reads the project version from it.
#pragma once

#include <string_view>

#define KAFKASINK_VERSION_MAJOR 0
#define KAFKASINK_VERSION_MINOR 1
#define KAFKASINK_VERSION_PATCH 0

/// The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH (0.1.0 is 100), for
/// preprocessor comparisons: `#if KAFKASINK_VERSION >= 200`.
#define KAFKASINK_VERSION \
  (KAFKASINK_VERSION_MAJOR * 10000 + KAFKASINK_VERSION_MINOR * 100 + KAFKASINK_VERSION_PATCH)

namespace kafkasink {

/// The version of the library this program runs with, as "MAJOR.MINOR.PATCH".
[[nodiscard]] std::string_view version() noexcept;

}  // namespace kafkasink
