#include <kafkasink/version.hpp>

namespace kafkasink {

namespace {

#define KAFKASINK_STRINGIFY_(x) #x
#define KAFKASINK_STRINGIFY(x) KAFKASINK_STRINGIFY_(x)

// Compiled into the library, so a program linked with another build sees that build's version.
constexpr std::string_view kVersion =
    KAFKASINK_STRINGIFY(KAFKASINK_VERSION_MAJOR) "." KAFKASINK_STRINGIFY(
        KAFKASINK_VERSION_MINOR) "." KAFKASINK_STRINGIFY(KAFKASINK_VERSION_PATCH);

#undef KAFKASINK_STRINGIFY
#undef KAFKASINK_STRINGIFY_

}  // namespace

std::string_view version() noexcept {
  return kVersion;
}

}  // namespace kafkasink
