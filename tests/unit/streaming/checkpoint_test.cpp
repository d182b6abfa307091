// The checkpoint folder alone: layout, atomic entries, restart state, corruption, the lock.
#include "streaming/checkpoint.hpp"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/streaming.hpp>

#include "support/frames.hpp"

namespace kafkasink {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::ThrowsMessage;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = test::temporary_directory("checkpoint"); }
  void TearDown() override { fs::remove_all(root_); }

  std::string path(const std::string& relative) const {
    return (fs::path(root_) / relative).string();
  }

  void overwrite(const std::string& relative, const std::string& content) const {
    std::ofstream(path(relative), std::ios::trunc) << content;
  }

  static std::vector<detail::SourceFile> files(std::initializer_list<const char*> names) {
    std::vector<detail::SourceFile> out;
    std::int64_t time = 1000;
    for (const char* name : names) out.push_back({name, 10, time++});
    return out;
  }

  std::string root_;
};

TEST_F(CheckpointTest, FreshFolderGetsAnIdAndTheLayout) {
  std::string id;
  {
    const detail::Checkpoint checkpoint(root_);
    id = checkpoint.query_id();
    EXPECT_EQ(id.size(), 36U);
    EXPECT_FALSE(checkpoint.pending_batch());
    EXPECT_EQ(checkpoint.next_batch(), 0);
  }
  EXPECT_TRUE(fs::is_directory(path("offsets")));
  EXPECT_TRUE(fs::is_directory(path("commits")));
  EXPECT_TRUE(fs::is_directory(path("sources/0")));
  EXPECT_EQ(detail::Checkpoint(root_).query_id(), id);
}

TEST_F(CheckpointTest, UncommittedBatchIsPendingWithItsFiles) {
  {
    detail::Checkpoint checkpoint(root_);
    checkpoint.begin_batch(0, files({"/in/a"}), false);
    checkpoint.commit(0, 100);
    checkpoint.begin_batch(1, files({"/in/b", "/in/c"}), false);
  }
  const detail::Checkpoint reopened(root_);
  ASSERT_TRUE(reopened.pending_batch());
  EXPECT_EQ(*reopened.pending_batch(), 1);
  EXPECT_EQ(reopened.pending_files(), files({"/in/b", "/in/c"}));
  EXPECT_EQ(reopened.next_batch(), 2);
  EXPECT_THAT(reopened.seen_files(), ElementsAre("/in/a", "/in/b", "/in/c"));
}

TEST_F(CheckpointTest, EntriesUseTheVersionLine) {
  detail::Checkpoint checkpoint(root_);
  checkpoint.begin_batch(0, files({"/in/a"}), false);
  checkpoint.commit(0, 100);
  std::ifstream offsets(path("offsets/0"));
  std::string line;
  std::getline(offsets, line);
  EXPECT_EQ(line, "v1");
  std::getline(offsets, line);
  EXPECT_THAT(line, HasSubstr("\"batchId\":0"));
  std::getline(offsets, line);
  EXPECT_THAT(line, HasSubstr("\"path\":\"/in/a\""));
  std::ifstream commits(path("commits/0"));
  std::getline(commits, line);
  EXPECT_EQ(line, "v1");
  // No temporary file is left behind.
  for (const auto& entry : fs::directory_iterator(path("offsets"))) {
    EXPECT_NE(entry.path().filename().string().front(), '.');
  }
}

TEST_F(CheckpointTest, TornOffsetsEntryIsAnErrorNamingTheFile) {
  {
    detail::Checkpoint checkpoint(root_);
    checkpoint.begin_batch(0, files({"/in/a"}), false);
  }
  overwrite("offsets/0", "v1\n{\"batchId\":0,\"batchTime");
  EXPECT_THAT([&] { detail::Checkpoint checkpoint(root_); },
              ThrowsMessage<CheckpointError>(
                  AllOf(HasSubstr("Corrupt checkpoint file " + path("offsets/0")),
                        HasSubstr("start the query with a new checkpoint location"))));
}

TEST_F(CheckpointTest, MissingVersionLineUsesSparksMessage) {
  {
    detail::Checkpoint checkpoint(root_);
    checkpoint.begin_batch(0, files({"/in/a"}), false);
    checkpoint.commit(0, 100);
  }
  overwrite("commits/0", "garbage");
  EXPECT_THAT([&] { detail::Checkpoint checkpoint(root_); },
              ThrowsMessage<CheckpointError>(AllOf(
                  HasSubstr("Log file was malformed: failed to read correct log version from " +
                            path("commits/0") + ". The checkpoint cannot be trusted"),
                  Not(HasSubstr("..")))));
  overwrite("commits/0", "v2\n{}");
  EXPECT_THAT(
      [&] { detail::Checkpoint checkpoint(root_); },
      ThrowsMessage<CheckpointError>(HasSubstr(
          "UnsupportedLogVersion: maximum supported log version is v1, but encountered v2")));
}

TEST_F(CheckpointTest, CorruptMetadataIsAnError) {
  { detail::Checkpoint checkpoint(root_); }
  overwrite("metadata", "{\"i");
  EXPECT_THAT(
      [&] { detail::Checkpoint checkpoint(root_); },
      ThrowsMessage<CheckpointError>(HasSubstr("Corrupt checkpoint file " + path("metadata"))));
}

TEST_F(CheckpointTest, CommitWithoutOffsetsIsAnError) {
  {
    detail::Checkpoint checkpoint(root_);
    checkpoint.begin_batch(0, files({"/in/a"}), false);
    checkpoint.commit(0, 100);
  }
  fs::remove(path("offsets/0"));
  EXPECT_THAT(
      [&] { detail::Checkpoint checkpoint(root_); },
      ThrowsMessage<CheckpointError>(HasSubstr("batch 0 is committed but has no offsets entry")));
}

TEST_F(CheckpointTest, ASecondOpenOfALockedFolderFails) {
  const detail::Checkpoint first(root_);
  EXPECT_THAT([&] { detail::Checkpoint second(root_); },
              ThrowsMessage<CheckpointError>(HasSubstr("another query is running with the "
                                                       "checkpoint location " +
                                                       root_)));
}

TEST_F(CheckpointTest, RetentionDeletesOldEntriesAndCompactionKeepsEveryFile) {
  {
    detail::Checkpoint checkpoint(root_);
    for (std::int64_t batch = 0; batch < 12; ++batch) {
      checkpoint.begin_batch(batch, {detail::SourceFile{fmt::format("/in/{}", batch), 1, batch}},
                             false);
      checkpoint.commit(batch, 2);
    }
  }
  EXPECT_FALSE(fs::exists(path("offsets/9")));
  EXPECT_TRUE(fs::exists(path("offsets/10")));
  EXPECT_TRUE(fs::exists(path("commits/11")));
  EXPECT_TRUE(fs::exists(path("sources/0/9.compact")));
  EXPECT_FALSE(fs::exists(path("sources/0/8")));
  const detail::Checkpoint reopened(root_);
  EXPECT_EQ(reopened.seen_files().size(), 12U);
  EXPECT_EQ(reopened.next_batch(), 12);
  EXPECT_FALSE(reopened.pending_batch());
}

TEST_F(CheckpointTest, StaleTemporaryFilesAreIgnored) {
  {
    detail::Checkpoint checkpoint(root_);
    checkpoint.begin_batch(0, files({"/in/a"}), false);
    checkpoint.commit(0, 100);
  }
  overwrite("offsets/.1.1234.tmp", "v1\n{\"batchId\":1,");  // a crash mid-write
  const detail::Checkpoint reopened(root_);
  EXPECT_FALSE(reopened.pending_batch());
  EXPECT_EQ(reopened.next_batch(), 1);
}

}  // namespace
}  // namespace kafkasink
