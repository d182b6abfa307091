// Random identifiers: a streaming query's id and run id, a process's share of transactional ids.
#pragma once

#include <string>

namespace kafkasink::detail {

/// A random (version 4) UUID in its canonical text form.
std::string random_uuid();

}  // namespace kafkasink::detail
