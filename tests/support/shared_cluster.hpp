// SharedClusterTest: a GoogleTest fixture whose suite shares one MockCluster.
//
// Starting a broker per test would dominate a suite's time; tests stay apart by writing to
// topics no other test uses (test::unique_topic).
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include <kafkasink/mock_cluster.hpp>

namespace kafkasink::test {

class SharedClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<MockCluster>(1); }

  static void TearDownTestSuite() { cluster_.reset(); }

  static MockCluster& cluster() { return *cluster_; }

 private:
  static inline std::unique_ptr<MockCluster> cluster_;
};

}  // namespace kafkasink::test
