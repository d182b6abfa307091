// CapturedStderr: what librdkafka's default logger (and anything else) writes to file
// descriptor 2 while a test runs, so that log lines can be searched for secrets.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "support/frames.hpp"

namespace kafkasink::test {

/// Everything written to the process's standard error (file descriptor 2, where librdkafka's
/// default logger writes) while it lives.
class CapturedStderr {
 public:
  CapturedStderr()
      : path_((std::filesystem::path(test::temporary_directory("kafkasink-stderr")) / "stderr")
                  .string()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    std::FILE* file = std::fopen(path_.c_str(), "w");
    ::dup2(::fileno(file), 2);
    std::fclose(file);
  }

  ~CapturedStderr() {
    restore();
    std::filesystem::remove_all(std::filesystem::path(path_).parent_path());
  }

  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  /// Stops capturing and returns what was written.
  std::string text() {
    restore();
    std::ifstream in(path_, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }

  std::string path_;
  int saved_ = -1;
};

}  // namespace kafkasink::test
