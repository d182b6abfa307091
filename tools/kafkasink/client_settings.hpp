// What `write` and `read` share about the cluster they talk to: the `-X` settings, the
// bootstrap servers (from --bootstrap-servers or `-X bootstrap.servers`, which mean the same)
// and Kafka's topic name rule, all checked before a client is made, so that the two commands
// accept and refuse the same arguments with the same words and exit code.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "arguments.hpp"

namespace kafkasink::tool {

/// The `-X key=value` settings, `kafka.` prefix removed (`-X acks=1` and `-X kafka.acks=1` are
/// the same), later ones winning, without `bootstrap.servers` (see bootstrap_servers).
std::map<std::string, std::string> client_settings(const Arguments& arguments);

/// The cluster given by --bootstrap-servers or `-X [kafka.]bootstrap.servers`, or nothing.
/// UsageError when they are given with different values, or a port is not in 1-65535.
std::optional<std::string> bootstrap_servers(const Arguments& arguments);

/// UsageError, in Kafka's words, when `topic` (given with `flag`) is not a legal topic name.
void check_topic_name(const std::string& flag, const std::string& topic);

}  // namespace kafkasink::tool
