// The kafkasink tool run as a user runs it: the real binary, its exit codes and output, with
// records written to and read from a real Kafka protocol broker (MockCluster, or the tool's
// own embedded or standalone broker).
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kafkasink/kafkasink.hpp>

#include "support/frames.hpp"
#include "support/shared_cluster.hpp"

extern char** environ;  // NOLINT: POSIX

namespace kafkasink {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string file_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<char*> argv_of(std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  return argv;
}

// Runs the tool with `arguments`, standard output and error captured in files.
ToolRun run_tool(std::vector<std::string> arguments) {
  static const std::string directory = test::temporary_directory("cli-test");
  const std::string out_path = directory + "/out";
  const std::string err_path = directory + "/err";
  arguments.insert(arguments.begin(), KAFKASINK_TOOL);
  std::vector<char*> argv = argv_of(arguments);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ToolRun run;
  if (spawned != 0) {
    run.err = "posix_spawn failed";
    return run;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = file_text(out_path);
  run.err = file_text(err_path);
  return run;
}

std::string census_path() {
  return test::source_path("data/census_1000.csv");
}

std::string write_file(const std::string& name, const std::string& text) {
  static const std::string directory = test::temporary_directory("cli-input");
  const std::string path = directory + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Counts of `partition N: M records` lines in the embedded broker's readback.
std::map<int, int> readback_counts(const std::string& out) {
  std::map<int, int> counts;
  const std::regex line(R"(partition (\d+): (\d+) records)");
  for (std::sregex_iterator match(out.begin(), out.end(), line), end; match != end; ++match) {
    counts[std::stoi((*match)[1])] = std::stoi((*match)[2]);
  }
  return counts;
}

int total(const std::map<int, int>& counts) {
  int sum = 0;
  for (const auto& [partition, count] : counts) sum += count;
  return sum;
}

std::string describe(const ToolRun& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" +
         run.err;
}

// --- help and version ---------------------------------------------------------------------

TEST(CliHelp, TopLevelHelpNamesEveryCommand) {
  for (const char* flag : {"--help", "-h"}) {
    const ToolRun run = run_tool({flag});
    EXPECT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_THAT(run.out, AllOf(HasSubstr("write FILE_OR_DIR"), HasSubstr("read --topic"),
                               HasSubstr("broker"), HasSubstr("Exit codes")));
  }
}

TEST(CliHelp, VersionIsTheProjectVersion) {
  for (const char* flag : {"--version", "-V"}) {
    const ToolRun run = run_tool({flag});
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_THAT(run.out, ::testing::MatchesRegex("kafkasink [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  }
}

TEST(CliHelp, NoCommandOrAnUnknownOneIsBadUsage) {
  EXPECT_EQ(run_tool({}).exit_code, 2);
  const ToolRun run = run_tool({"send"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("unknown command 'send'"));
}

TEST(CliHelp, EveryCommandDescribesEveryFlag) {
  const std::map<std::string, std::vector<std::string>> flags = {
      {"write",
       {"--format", "--header", "--infer-schema", "--topic", "--key", "--value-json", "--value",
        "--partition-column", "--record-header", "--header-column", "--bootstrap-servers", "-X",
        "--repartition", "--show", "--verbose"}},
      {"read",
       {"--topic", "--bootstrap-servers", "--limit", "--format", "-X", "--timeout", "--verbose"}},
      {"broker", {"--brokers", "--topic"}},
  };
  for (const auto& [command, names] : flags) {
    const ToolRun run = run_tool({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.out, HasSubstr("Usage: kafkasink " + command));
    for (const std::string& name : names) EXPECT_THAT(run.out, HasSubstr(name)) << command;
  }
}

// --- write to the embedded broker ---------------------------------------------------------

TEST(CliWriteEmbedded, CsvIsWrittenReadBackAndShown) {
  const ToolRun run = run_tool({"write", census_path(), "--format", "csv", "--header",
                                "--infer-schema", "--topic", "census", "--key", "_c0"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_THAT(run.out, HasSubstr("Read back 999 records from topic 'census' on the embedded "
                                 "broker"));
  EXPECT_THAT(run.out, HasSubstr("| topic|partition|offset|key|"));
  EXPECT_THAT(run.out, HasSubstr("|census|        0|     0|"));
  EXPECT_THAT(run.out, HasSubstr("only showing top 5 rows"));
  // The embedded broker creates the topic with 4 partitions and the keys spread over them.
  const std::map<int, int> counts = readback_counts(run.out);
  EXPECT_EQ(counts.size(), 4U);
  EXPECT_EQ(total(counts), 999);
  EXPECT_THAT(run.err, ::testing::ContainsRegex(
                           "wrote 999 rows \\([0-9,]+ bytes\\) to topic 'census' in [0-9.]+ s: "
                           "[0-9,]+ rows/s"));
  EXPECT_THAT(run.err, Not(HasSubstr("brokers are down")));
}

TEST(CliWriteEmbedded, JsonFolderWithRepartitionAndShow) {
  const ToolRun run =
      run_tool({"write", test::source_path("data/flight-data"), "--format", "json", "--topic",
                "flights", "--value-json", "--repartition", "3", "--show", "2"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_THAT(run.out, HasSubstr("Read back 1,502 records"));
  EXPECT_THAT(run.out, HasSubstr("only showing top 2 rows"));
  EXPECT_THAT(run.out, HasSubstr("|{\"DEST_COUNTRY_NA...|"));
  EXPECT_EQ(total(readback_counts(run.out)), 1502);
}

TEST(CliWriteEmbedded, FormatComesFromTheExtension) {
  const std::string path = write_file("two.json", "{\"a\":1}\n{\"a\":2}\n");
  const ToolRun run = run_tool({"write", path, "--topic", "t", "--show", "0"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_THAT(run.out, HasSubstr("Read back 2 records"));
  EXPECT_THAT(run.out, Not(HasSubstr("+---")));
}

// --- write to a cluster given with --bootstrap-servers --------------------------------------

class CliWrite : public test::SharedClusterTest {
 protected:
  static std::string new_topic(int partitions) {
    std::string topic = test::unique_topic("cli");
    cluster().create_topic(topic, partitions);
    return topic;
  }
};

TEST_F(CliWrite, KeyValuePartitionAndHeadersFollowTheFlags) {
  const std::string topic = new_topic(3);
  const std::string path = write_file("people.csv", "id,name,slot\n1,Ann,0\n2,Bob,2\n3,,1\n");
  const ToolRun run = run_tool({"write",
                                path,
                                "--header",
                                "--infer-schema",
                                "--topic",
                                topic,
                                "--key",
                                "id",
                                "--value",
                                "name",
                                "--partition-column",
                                "slot",
                                "-H",
                                "source=people",
                                "--header-column",
                                "name",
                                "--bootstrap-servers",
                                cluster().bootstrap_servers(),
                                "-X",
                                "kafka.acks=all",
                                "-X",
                                "linger.ms=5"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.out, "");  // nothing is read back from a cluster given by the user
  EXPECT_THAT(run.err, HasSubstr("wrote 3 rows"));
  const std::vector<ConsumedRecord> records = cluster().read_all(topic);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].partition, 0);
  EXPECT_EQ(records[0].key, "1");
  EXPECT_EQ(records[0].value, "Ann");
  EXPECT_THAT(records[0].headers,
              ::testing::ElementsAre(Header{"source", "people"}, Header{"name", "Ann"}));
  EXPECT_EQ(records[1].partition, 1);
  EXPECT_EQ(records[1].key, "3");
  EXPECT_EQ(records[1].value, std::nullopt);  // an empty CSV field is null
  EXPECT_THAT(records[1].headers,
              ::testing::ElementsAre(Header{"source", "people"}, Header{"name", std::nullopt}));
  EXPECT_EQ(records[2].partition, 2);
  EXPECT_EQ(records[2].key, "2");
}

TEST_F(CliWrite, ValueJsonIsToJsonOfTheWholeRow) {
  const std::string topic = new_topic(1);
  const std::string path = write_file("row.csv", "id,name\n7,Eve\n");
  const ToolRun run =
      run_tool({"write", path, "--header", "--infer-schema", "--topic", topic, "--value-json",
                "--bootstrap-servers", cluster().bootstrap_servers()});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const std::vector<ConsumedRecord> records = cluster().read_all(topic);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].key, std::nullopt);
  EXPECT_EQ(records[0].value, R"({"id":7,"name":"Eve"})");
  EXPECT_TRUE(records[0].headers.empty());
}

TEST_F(CliWrite, SecretsAreNeverEchoed) {
  const std::string topic = new_topic(1);
  const ToolRun run =
      run_tool({"write", census_path(), "--header", "--topic", topic, "--verbose",
                "--bootstrap-servers", cluster().bootstrap_servers(), "-X", "sasl.password=hunter2",
                "-X", "kafka.ssl.key.password=swordfish", "-X",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                "required username=\"u\" password=\"tokensecretvalue\";"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("sasl.password=*********(redacted)"));
  EXPECT_THAT(run.err, HasSubstr("ssl.key.password=*********(redacted)"));
  for (const char* secret : {"hunter2", "swordfish", "tokensecretvalue"}) {
    EXPECT_THAT(run.out + run.err, Not(HasSubstr(secret)));
  }
  // A secret given without '=' is not echoed either.
  const ToolRun bad = run_tool({"write", census_path(), "--topic", topic, "-X", "hunter2"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out + bad.err, Not(HasSubstr("hunter2")));
}

TEST_F(CliWrite, UndeliveredRecordsExitWithOne) {
  // Partition 5 of a 2-partition topic does not exist: those records fail.
  const std::string topic = new_topic(2);
  const std::string path = write_file("slots.csv", "id,slot\n1,0\n2,5\n3,1\n");
  const ToolRun run = run_tool({"write", path, "--header", "--topic", topic, "--partition-column",
                                "slot", "--bootstrap-servers", cluster().bootstrap_servers()});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("kafkasink write: "));
  EXPECT_THAT(run.err, HasSubstr("were not delivered"));
  EXPECT_THAT(run.err, HasSubstr(topic + "-5"));
  EXPECT_THAT(run.err, ::testing::ContainsRegex("wrote [0-9] of 3 rows"));
}

TEST_F(CliWrite, RecordLargerThanTheLimitExitsWithOne) {
  // 1000 bytes is the smallest message.max.bytes librdkafka accepts; one value is 2000 bytes.
  const std::string topic = new_topic(1);
  const std::string path = write_file("large.csv", "v\nsmall\n" + std::string(2000, 'x') + "\n");
  const ToolRun run =
      run_tool({"write", path, "--header", "--topic", topic, "--value", "v", "--bootstrap-servers",
                cluster().bootstrap_servers(), "-X", "message.max.bytes=1000"});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("MSG_SIZE_TOO_LARGE"));
}

TEST_F(CliWrite, MissingTopicExitsWithOne) {
  const std::string topic = test::unique_topic("cli-missing");
  cluster().set_topic_error(topic, 3);  // UNKNOWN_TOPIC_OR_PART in every Metadata answer
  const ToolRun run =
      run_tool({"write", census_path(), "--header", "--topic", topic, "--bootstrap-servers",
                cluster().bootstrap_servers(), "-X", "message.timeout.ms=500"});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("999 of 999 records were not delivered"));
  cluster().set_topic_error(topic, 0);
}

TEST(CliWriteProgress, TerminalShowsABarForWritesOverASecond) {
  // Every broker answer takes 700 ms, so the write lasts well over the second after which the
  // bar appears; standard error is a pseudo-terminal, as an interactive shell gives it.
  MockCluster slow_cluster(1);
  slow_cluster.set_rtt(1, std::chrono::milliseconds(700));
  const int terminal = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  ASSERT_EQ(grantpt(terminal), 0);
  ASSERT_EQ(unlockpt(terminal), 0);
  const std::string terminal_path = ptsname(terminal);  // NOLINT(concurrency-mt-unsafe)
  std::vector<std::string> arguments = {
      KAFKASINK_TOOL, "write", census_path(),         "--header",
      "--topic",      "slow",  "--bootstrap-servers", slow_cluster.bootstrap_servers()};
  std::vector<char*> argv = argv_of(arguments);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, terminal_path.c_str(), O_RDWR | O_NOCTTY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::string shown;
  std::array<char, 4096> buffer{};
  // Read until the child closes the terminal (read fails with EIO then).
  for (ssize_t count = 0; (count = read(terminal, buffer.data(), buffer.size())) > 0;) {
    shown.append(buffer.data(), static_cast<std::size_t>(count));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(terminal);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << shown;
  EXPECT_THAT(shown, HasSubstr("\r["));  // the bar redraws itself in place
  EXPECT_THAT(shown, ::testing::ContainsRegex("[0-9]+% [0-9,]+/999 rows acknowledged, [0-9,]+ "
                                              "rows/s"));
  EXPECT_THAT(shown, HasSubstr("\r\x1b[Kwrote 999 rows"));  // erased before the summary
}

// --- bad arguments and bad input: exit code 2 ----------------------------------------------

TEST(CliWriteUsage, BadArgumentsAndInputExitWithTwoNamingTheCulprit) {
  const std::string census = census_path();
  const std::string bad_json = write_file("bad.json", "{\"a\":1}\nnot json\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"write", "/nonexistent/x.csv", "--topic", "t"},
       "/nonexistent/x.csv: no such file or directory"},
      {{"write", bad_json, "--topic", "t"}, bad_json},
      {{"write", census, "--header", "--topic", "t", "--key", "nope"},
       "--key nope: no such column in " + census + " (columns: _c0, age,"},
      {{"write", census, "--header", "--topic", "t", "--value", "nope"}, "--value nope"},
      {{"write", census, "--header", "--topic", "t", "--partition-column", "nope"},
       "--partition-column nope"},
      {{"write", census, "--header", "--topic", "t", "--header-column", "nope"},
       "--header-column nope"},
      {{"write", census, "--header"}, "--topic T is required"},
      {{"write", "--topic", "t"}, "missing FILE_OR_DIR"},
      {{"write", census, census, "--topic", "t"}, "only one FILE_OR_DIR"},
      {{"write", census, "--topic", "t", "--value", "age", "--value-json"},
       "--value and --value-json exclude each other"},
      {{"write", census, "--topic", "t", "--format", "xml"}, "--format xml: expected csv or json"},
      {{"write", write_file("data.txt", "a\n"), "--topic", "t"}, "--format: cannot tell"},
      {{"write", census, "--topic", "t", "--repartition", "0"}, "--repartition expects"},
      {{"write", census, "--topic", "t", "--show", "x"}, "--show expects"},
      {{"write", census, "--topic", "t", "-X", "acks"}, "-X expects key=value"},
      {{"write", census, "--topic", "t", "-X", "no.such.setting=1"}, "no.such.setting"},
      {{"write", census, "--topic", "t", "--bogus"}, "unknown option --bogus"},
      {{"write", census, "--topic"}, "--topic needs a value"},
      {{"write", census, "--topic", "t", "--topic", "u"}, "--topic given more than once"},
  };
  for (const auto& [arguments, message] : cases) {
    const ToolRun run = run_tool(arguments);
    EXPECT_EQ(run.exit_code, 2) << describe(run);
    EXPECT_THAT(run.err, HasSubstr(message)) << describe(run);
  }
}

// --- read ---------------------------------------------------------------------------------

class CliRead : public test::SharedClusterTest {
 protected:
  static void SetUpTestSuite() {
    test::SharedClusterTest::SetUpTestSuite();
    cluster().create_topic("readable", 2);
    Session session = Session::builder().create();
    const ProducerLease producer =
        session.producer_pool().acquire({{"bootstrap.servers", cluster().bootstrap_servers()}});
    ProducerRecord first;
    first.topic = "readable";
    first.partition = 1;
    first.key = "k1";
    first.value = "v1";
    first.headers = {{"h", "x"}, {"n", std::nullopt}};
    producer->send(first).get();
    ProducerRecord second;
    second.topic = "readable";
    second.partition = 0;
    second.value = "v0";
    producer->send(second).get();
    ProducerRecord third = second;
    third.value = "v0b";
    producer->send(third).get();
    session.stop();
  }
};

TEST_F(CliRead, JsonLinesHoldEveryFieldInPartitionAndOffsetOrder) {
  const ToolRun run = run_tool(
      {"read", "--topic", "readable", "--bootstrap-servers", cluster().bootstrap_servers()});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(
      run.out,
      R"({"topic":"readable","partition":0,"offset":0,"key":null,"value":"v0","headers":[]})"
      "\n"
      R"({"topic":"readable","partition":0,"offset":1,"key":null,"value":"v0b","headers":[]})"
      "\n"
      R"({"topic":"readable","partition":1,"offset":0,"key":"k1","value":"v1","headers":[{"key":"h","value":"x"},{"key":"n","value":null}]})"
      "\n");
}

TEST_F(CliRead, LimitAndTable) {
  const ToolRun limited =
      run_tool({"read", "--topic", "readable", "--bootstrap-servers", cluster().bootstrap_servers(),
                "--limit", "1", "--format", "json"});
  ASSERT_EQ(limited.exit_code, 0) << describe(limited);
  EXPECT_EQ(std::count(limited.out.begin(), limited.out.end(), '\n'), 1);
  const ToolRun table =
      run_tool({"read", "--topic", "readable", "--bootstrap-servers", cluster().bootstrap_servers(),
                "--format", "table", "--timeout", "20", "-X", "kafka.client.id=cli-test"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_THAT(table.out, HasSubstr("|   topic|partition|offset| key|value|    headers|"));
  EXPECT_THAT(table.out, HasSubstr("|readable|        1|     0|  k1|   v1|h=x, n=null|"));
}

TEST_F(CliRead, MissingTopicExitsWithOneAndBadFlagsWithTwo) {
  const ToolRun missing = run_tool(
      {"read", "--topic", "absent-topic", "--bootstrap-servers", cluster().bootstrap_servers()});
  EXPECT_EQ(missing.exit_code, 1) << describe(missing);
  EXPECT_THAT(missing.err, HasSubstr("topic 'absent-topic' does not exist"));
  EXPECT_EQ(run_tool({"read"}).exit_code, 2);
  const ToolRun format = run_tool({"read", "--topic", "t", "--format", "csv"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_THAT(format.err, HasSubstr("--format csv: expected json or table"));
  EXPECT_EQ(run_tool({"read", "--topic", "t", "--limit", "-1"}).exit_code, 2);
  EXPECT_EQ(run_tool({"read", "--topic", "t", "extra"}).exit_code, 2);
}

// --- broker -------------------------------------------------------------------------------

// A `kafkasink broker` child whose first line of output has been read.
class BrokerProcess {
 public:
  explicit BrokerProcess(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {KAFKASINK_TOOL, "broker"});
    std::vector<char*> argv = argv_of(arguments);
    int pipe_ends[2] = {-1, -1};
    EXPECT_EQ(pipe(pipe_ends), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_ends[1]);
    output_ = fdopen(pipe_ends[0], "r");
    char* line = nullptr;
    std::size_t capacity = 0;
    if (getline(&line, &capacity, output_) > 0) first_line_ = line;
    free(line);  // NOLINT: getline's buffer
  }

  ~BrokerProcess() {
    if (pid_ > 0) stop();
    if (output_ != nullptr) fclose(output_);
  }

  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  const std::string& first_line() const { return first_line_; }

  // Sends `signal` and returns the exit code.
  int stop(int signal = SIGTERM) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  FILE* output_ = nullptr;
  std::string first_line_;
};

TEST(CliBroker, PrintsBootstrapServersFirstAndServesUntilSigterm) {
  BrokerProcess broker({"--topic", "three:3", "--topic", "single"});
  ASSERT_THAT(broker.first_line(), ::testing::MatchesRegex("127\\.0\\.0\\.1:[0-9]+\n"));
  const std::string servers = broker.first_line().substr(0, broker.first_line().size() - 1);
  const std::string path = write_file("three.csv", "p,v\n0,a\n1,b\n2,c\n");
  const ToolRun write = run_tool({"write", path, "--header", "--topic", "three", "--value", "v",
                                  "--partition-column", "p", "--bootstrap-servers", servers});
  ASSERT_EQ(write.exit_code, 0) << describe(write);
  const ToolRun read = run_tool({"read", "--topic", "three", "--bootstrap-servers", servers});
  ASSERT_EQ(read.exit_code, 0) << describe(read);
  EXPECT_THAT(read.out, HasSubstr(R"("partition":2,"offset":0,"key":null,"value":"c")"));
  // `single` has one partition: writing to partition 1 fails.
  const ToolRun single = run_tool({"write", path, "--header", "--topic", "single",
                                   "--partition-column", "p", "--bootstrap-servers", servers});
  EXPECT_EQ(single.exit_code, 1) << describe(single);
  EXPECT_EQ(broker.stop(SIGTERM), 0);
}

TEST(CliBroker, SeveralBrokersAndSigint) {
  BrokerProcess broker({"--brokers", "3"});
  EXPECT_THAT(broker.first_line(),
              ::testing::MatchesRegex(
                  "127\\.0\\.0\\.1:[0-9]+,127\\.0\\.0\\.1:[0-9]+,127\\.0\\.0\\.1:[0-9]+\n"));
  EXPECT_EQ(broker.stop(SIGINT), 0);
}

TEST(CliBroker, BadArgumentsExitWithTwo) {
  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{{"broker", "--brokers", "0"},
                                             {"broker", "--topic", "t:zero"},
                                             {"broker", "--topic", ":3"},
                                             {"broker", "extra"}}) {
    const ToolRun run = run_tool(arguments);
    EXPECT_EQ(run.exit_code, 2) << describe(run);
  }
}

// --- issue 14: what a new user broke --------------------------------------------------------

// A loopback port nothing listens on: bound, read, closed.
int closed_port() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));  // NOLINT
  socklen_t length = sizeof(address);
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);  // NOLINT
  close(socket_fd);
  return ntohs(address.sin_port);
}

TEST_F(CliWrite, BootstrapServersSettingIsTheCluster) {
  for (const char* name : {"bootstrap.servers", "kafka.bootstrap.servers"}) {
    const std::string topic = new_topic(1);
    const ToolRun run = run_tool({"write", census_path(), "--header", "--topic", topic, "-X",
                                  std::string(name) + "=" + cluster().bootstrap_servers()});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_EQ(run.out, "") << "no embedded broker was read back";
    EXPECT_EQ(cluster().read_all(topic).size(), 999U) << name;
  }
  const ToolRun both =
      run_tool({"write", census_path(), "--topic", "t", "--bootstrap-servers",
                cluster().bootstrap_servers(), "-X", "bootstrap.servers=127.0.0.1:1"});
  EXPECT_EQ(both.exit_code, 2) << describe(both);
  EXPECT_THAT(both.err, HasSubstr("name different clusters"));
  // The same value twice is no conflict.
  const std::string topic = new_topic(1);
  const ToolRun same = run_tool({"write", census_path(), "--topic", topic, "--bootstrap-servers",
                                 cluster().bootstrap_servers(), "-X",
                                 "bootstrap.servers=" + cluster().bootstrap_servers()});
  EXPECT_EQ(same.exit_code, 0) << describe(same);
}

TEST(CliSecrets, NoCommandShowsTheValueOfAnUnknownOrRefusedSetting) {
  const std::vector<std::vector<std::string>> cases = {
      {"read", "--topic", "t", "-X", "sasl.passwd=hunter2"},
      {"read", "--topic", "t", "-X", "fetch.wait.max.ms=hunter2"},
      {"write", census_path(), "--topic", "t", "-X", "sasl.passwd=hunter2"},
      {"write", census_path(), "--topic", "t", "-X", "linger.ms=hunter2"},
      {"write", census_path(), "--topic", "t", "-X", "acks=hunter2"},
      {"write", census_path(), "--topic", "t", "-X", "max.block.ms=hunter2"},
      {"write", census_path(), "--topic", "t", "-X", "buffer.memory=hunter2"},
  };
  for (const std::vector<std::string>& arguments : cases) {
    const ToolRun run = run_tool(arguments);
    EXPECT_EQ(run.exit_code, 2) << describe(run);
    EXPECT_THAT(run.out + run.err, Not(HasSubstr("hunter2"))) << describe(run);
    EXPECT_THAT(run.err, HasSubstr(arguments.back().substr(0, arguments.back().find('='))))
        << describe(run);
  }
}

TEST(CliUnreachable, WriteFailsWithinMaxBlockNamingServersAndTheLastError) {
  const std::string servers = "127.0.0.1:" + std::to_string(closed_port());
  // Without the max.block.ms rule this would wait the 20 s delivery timeout and end in a bare
  // _MSG_TIMED_OUT.
  const ToolRun run =
      run_tool({"write", census_path(), "--header", "--topic", "t", "--bootstrap-servers", servers,
                "-X", "kafka.max.block.ms=2000", "-X", "delivery.timeout.ms=20000"});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  EXPECT_THAT(run.err,
              HasSubstr("999 of 999 records were not delivered to topic t: _TRANSPORT: no broker "
                        "of bootstrap.servers " +
                        servers + " could be reached within max.block.ms (2000 ms)"));
  EXPECT_THAT(run.err, HasSubstr("Connection refused"));
  EXPECT_THAT(run.err, HasSubstr("wrote 0 of 999 rows (0 bytes)"));
}

TEST(CliUnreachable, ReadFailsAtOnceNamingServersAndTheLastError) {
  const std::string servers = "127.0.0.1:" + std::to_string(closed_port());
  const ToolRun run =
      run_tool({"read", "--topic", "t", "--bootstrap-servers", servers, "--timeout", "20"});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  EXPECT_THAT(run.err,
              HasSubstr("no broker of bootstrap.servers " + servers + " could be reached"));
  EXPECT_THAT(run.err, HasSubstr("Connection refused"));
}

TEST(CliUnreachable, MissingSaslMechanismSaysSetIt) {
  for (const std::string command : {"write", "read"}) {
    std::vector<std::string> arguments = {command};
    if (command == "write") arguments.push_back(census_path());
    for (const char* argument : {"--topic", "t", "--bootstrap-servers", "127.0.0.1:9092", "-X",
                                 "security.protocol=SASL_PLAINTEXT", "-X", "sasl.username=user",
                                 "-X", "sasl.password=longersecret"}) {
      arguments.emplace_back(argument);
    }
    const ToolRun run = run_tool(arguments);
    EXPECT_EQ(run.exit_code, 2) << describe(run);
    EXPECT_THAT(run.err, HasSubstr("set sasl.mechanism")) << describe(run);
    EXPECT_THAT(run.err, Not(HasSubstr("kinit")));
    EXPECT_THAT(run.err, Not(HasSubstr("longersecret")));
  }
}

TEST(CliUnreachable, LibrdkafkaLogLinesGoThroughOneLogger) {
  const std::string servers = "127.0.0.1:" + std::to_string(closed_port());
  const std::vector<std::string> arguments = {"write", census_path(),         "--topic",
                                              "t",     "--bootstrap-servers", servers,
                                              "-X",    "max.block.ms=1000"};
  const ToolRun quiet = run_tool(arguments);
  EXPECT_THAT(quiet.err, Not(HasSubstr("%3|"))) << describe(quiet);
  EXPECT_THAT(quiet.err, ::testing::ContainsRegex(
                             "kafkasink write: librdkafka logged [0-9]+ warning\\(s\\) or "
                             "error\\(s\\), the last: error FAIL: .*Connection refused"));
  std::vector<std::string> verbose_arguments = arguments;
  verbose_arguments.emplace_back("--verbose");
  const ToolRun verbose = run_tool(verbose_arguments);
  EXPECT_THAT(verbose.err, Not(HasSubstr("%3|"))) << describe(verbose);
  EXPECT_THAT(verbose.err, HasSubstr("kafkasink write: librdkafka error FAIL: "));
  EXPECT_THAT(verbose.err, Not(HasSubstr("librdkafka logged")));
}

// The tool started in the background, its output in files, to be sent signals.
class ToolProcess {
 public:
  explicit ToolProcess(std::vector<std::string> arguments)
      : directory_(test::temporary_directory("cli-signal")) {
    arguments.insert(arguments.begin(), KAFKASINK_TOOL);
    std::vector<char*> argv = argv_of(arguments);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (directory_ + "/out").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, (directory_ + "/err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
  }

  ~ToolProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  ToolProcess(const ToolProcess&) = delete;
  ToolProcess& operator=(const ToolProcess&) = delete;

  // Waits (at most 20 s) until standard error holds `text`.
  bool wait_for_err(const std::string& text) const {
    for (int attempt = 0; attempt < 400; ++attempt) {
      if (file_text(directory_ + "/err").find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void signal(int number) const { kill(pid_, number); }

  // Waits for the exit (at most 60 s, then kills it) and returns what it did.
  ToolRun wait() {
    ToolRun run;
    int status = 0;
    for (int attempt = 0; attempt < 1200 && waitpid(pid_, &status, WNOHANG) == 0; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = file_text(directory_ + "/out");
    run.err = file_text(directory_ + "/err");
    return run;
  }

 private:
  std::string directory_;
  pid_t pid_ = -1;
};

// A write that cannot finish on its own: its broker takes 3 s to answer each request.
std::vector<std::string> slow_write(const MockCluster& slow) {
  return {"write",
          census_path(),
          "--header",
          "--topic",
          "slow",
          "--verbose",
          "--bootstrap-servers",
          slow.bootstrap_servers()};
}

TEST(CliSignals, FirstSigintStopsTheWriteWithASummaryAndExit130) {
  MockCluster slow(1);
  slow.set_rtt(1, std::chrono::milliseconds(3000));
  ToolProcess tool(slow_write(slow));
  ASSERT_TRUE(tool.wait_for_err("producer settings:"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // into the write
  tool.signal(SIGINT);
  const ToolRun run = tool.wait();
  EXPECT_EQ(run.exit_code, 130) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("kafkasink write: SIGINT: stopping"));
  EXPECT_THAT(run.err, HasSubstr("_INTR: the write was cancelled"));
  EXPECT_THAT(run.err, ::testing::ContainsRegex("wrote [0-9,]+ of 999 rows"));
}

TEST(CliSignals, SigtermExits143AndASecondSignalExitsAtOnce) {
  MockCluster slow(1);
  slow.set_rtt(1, std::chrono::milliseconds(3000));
  {
    ToolProcess tool(slow_write(slow));
    ASSERT_TRUE(tool.wait_for_err("producer settings:"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    tool.signal(SIGTERM);
    const ToolRun run = tool.wait();
    EXPECT_EQ(run.exit_code, 143) << describe(run);
    EXPECT_THAT(run.err, ::testing::ContainsRegex("wrote [0-9,]+ of 999 rows"));
  }
  ToolProcess tool(slow_write(slow));
  ASSERT_TRUE(tool.wait_for_err("producer settings:"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  tool.signal(SIGINT);
  ASSERT_TRUE(tool.wait_for_err("SIGINT: stopping"));
  tool.signal(SIGINT);
  const ToolRun run = tool.wait();
  EXPECT_EQ(run.exit_code, 130) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("SIGINT again: exiting at once"));
  EXPECT_THAT(run.err, Not(HasSubstr("wrote ")));  // no summary: it did not wait
}

TEST(CliWriteUsage, IllegalTopicNamesAreRefusedInKafkasWords) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a b",
       "Topic name \"a b\" is illegal, it contains a character other than ASCII "
       "alphanumerics, '.', '_' and '-'"},
      {"тема", "Topic name \"тема\" is illegal"},
      {std::string(250, 'x'), "Topic name is illegal, it can't be longer than 249 characters"},
      {".", "Topic name cannot be \".\" or \"..\""},
      {"..", "Topic name cannot be \".\" or \"..\""},
      {"", "Topic name is illegal, it can't be empty"},
  };
  for (const auto& [topic, message] : cases) {
    for (const std::string command : {"write", "read"}) {
      std::vector<std::string> arguments = {command, "--topic", topic};
      if (command == "write") arguments.insert(arguments.begin() + 1, census_path());
      const ToolRun run = run_tool(arguments);
      EXPECT_EQ(run.exit_code, 2) << describe(run);
      EXPECT_THAT(run.err, HasSubstr(message)) << describe(run);
    }
  }
  const ToolRun broker = run_tool({"broker", "--topic", "a b:2"});
  EXPECT_EQ(broker.exit_code, 2) << describe(broker);
  EXPECT_THAT(broker.err, HasSubstr("is illegal"));
  // 249 characters of every legal kind are fine.
  const ToolRun longest = run_tool({"write", write_file("one.json", "{\"a\":1}\n"), "--topic",
                                    std::string(246, 'a') + "._-", "--show", "0"});
  EXPECT_EQ(longest.exit_code, 0) << describe(longest);
}

TEST(CliWriteUsage, PortOutsideOneTo65535IsBadUsage) {
  for (const char* servers : {"127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:-1", "127.0.0.1",
                              "127.0.0.1:9092,127.0.0.1:70000"}) {
    for (const std::string command : {"write", "read"}) {
      std::vector<std::string> arguments = {command, "--topic", "t", "--bootstrap-servers",
                                            servers};
      if (command == "write") arguments.insert(arguments.begin() + 1, census_path());
      const ToolRun run = run_tool(arguments);
      EXPECT_EQ(run.exit_code, 2) << describe(run);
      EXPECT_THAT(run.err, HasSubstr("in bootstrap.servers")) << describe(run);
    }
  }
}

TEST(CliWriteUsage, AFlagIsNeverTakenAsTheValueOfAnother) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"write", census_path(), "--topic", "--header"}, "--topic needs a value"},
      {{"write", census_path(), "--topic", "t", "--key", "-X", "acks=1"}, "--key needs a value"},
      {{"write", census_path(), "--topic", "t", "--value", "--topic=u"}, "--value needs a value"},
      {{"read", "--topic", "--limit", "3"}, "--topic needs a value"},
      {{"broker", "--brokers", "--topic", "a"}, "--brokers needs a value"},
  };
  for (const auto& [arguments, message] : cases) {
    const ToolRun run = run_tool(arguments);
    EXPECT_EQ(run.exit_code, 2) << describe(run);
    EXPECT_THAT(run.err, HasSubstr(message)) << describe(run);
  }
}

TEST_F(CliRead, SettingsErrorsAreBadUsageAndJaasIsTranslatedAsForWrite) {
  const ToolRun bogus = run_tool({"read", "--topic", "readable", "--bootstrap-servers",
                                  cluster().bootstrap_servers(), "-X", "bogus=1"});
  EXPECT_EQ(bogus.exit_code, 2) << describe(bogus);
  EXPECT_THAT(bogus.err, HasSubstr("'bogus' is unknown"));
  // PLAINTEXT ignores the login, but the line must be understood, as `write` understands it.
  const ToolRun jaas = run_tool(
      {"read", "--topic", "readable", "--bootstrap-servers", cluster().bootstrap_servers(), "-X",
       "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
       "username=\"u\" password=\"jaassecret\";"});
  EXPECT_EQ(jaas.exit_code, 0) << describe(jaas);
  EXPECT_EQ(std::count(jaas.out.begin(), jaas.out.end(), '\n'), 3);
  const ToolRun malformed =
      run_tool({"read", "--topic", "readable", "--bootstrap-servers", cluster().bootstrap_servers(),
                "-X", "sasl.jaas.config=jaassecret"});
  EXPECT_EQ(malformed.exit_code, 2) << describe(malformed);
  EXPECT_THAT(malformed.err, HasSubstr("not a JAAS login line"));
  EXPECT_THAT(malformed.err, Not(HasSubstr("jaassecret")));
}

TEST(CliBroker, ATopicGivenTwiceIsBadUsage) {
  const ToolRun run = run_tool({"broker", "--topic", "a:1", "--topic", "a:2"});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("topic 'a' is already given"));
}

TEST_F(CliWrite, RowErrorsNameTheFileAndLine) {
  const std::string topic = new_topic(2);
  const std::string path = write_file("negative.csv", "id,slot\n1,0\n2,-3\n");
  const ToolRun run =
      run_tool({"write", path, "--header", "--infer-schema", "--topic", topic, "--partition-column",
                "slot", "--bootstrap-servers", cluster().bootstrap_servers()});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("Invalid partition: -3. Partition number should always be "
                                 "non-negative or null. (in " +
                                 path + " at line 3)"));
  // Split over parallel tasks, the rows keep their lines.
  const std::string json = write_file("negative.json", "{\"p\":1}\n\n{\"p\":2}\n{\"p\":-1}\n");
  const ToolRun split =
      run_tool({"write", json, "--topic", topic, "--partition-column", "p", "--repartition", "2",
                "--bootstrap-servers", cluster().bootstrap_servers()});
  EXPECT_EQ(split.exit_code, 2) << describe(split);
  EXPECT_THAT(split.err, HasSubstr("(in " + json + " at line 4)"));
  EXPECT_TRUE(cluster().read_all(topic).empty());
}

TEST_F(CliWrite, FailedWriteSummaryCountsTheBytesOfDeliveredRecordsOnly) {
  const std::string topic = new_topic(2);
  const std::string path = write_file("bytes.csv", "v,slot\naaaa,0\nbbbbbbbb,5\ncc,1\n");
  const ToolRun run =
      run_tool({"write", path, "--header", "--topic", topic, "--value", "v", "--partition-column",
                "slot", "--bootstrap-servers", cluster().bootstrap_servers()});
  EXPECT_EQ(run.exit_code, 1) << describe(run);
  std::size_t delivered_bytes = 0;
  const std::vector<ConsumedRecord> records = cluster().read_all(topic);
  for (const ConsumedRecord& record : records) delivered_bytes += record.value->size();
  EXPECT_THAT(run.err, HasSubstr("wrote " + std::to_string(records.size()) + " of 3 rows (" +
                                 std::to_string(delivered_bytes) + " bytes)"));
}

TEST(CliWriteUsage, RecordHeaderErrorGivesAHeaderAsExample) {
  const ToolRun run = run_tool({"write", census_path(), "--topic", "t", "-H", "novalue"});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_THAT(run.err, HasSubstr("--record-header expects key=value (e.g. --record-header "
                                 "source=census)"));
  EXPECT_THAT(run.err, Not(HasSubstr("acks")));
}

TEST_F(CliRead, TableEscapesTerminalSequencesAsJsonDoes) {
  const std::string topic = test::unique_topic("escape");
  cluster().create_topic(topic, 1);
  Session session = Session::builder().create();
  const ProducerLease producer =
      session.producer_pool().acquire({{"bootstrap.servers", cluster().bootstrap_servers()}});
  producer->send({.topic = topic, .key = "\x1b]0;x\x07", .value = "\x1b[31mred\r\n"}).get();
  session.stop();
  const ToolRun table = run_tool({"read", "--topic", topic, "--bootstrap-servers",
                                  cluster().bootstrap_servers(), "--format", "table"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find('\r'), std::string::npos) << table.out;
  EXPECT_THAT(table.out, HasSubstr(R"(|\u001b]0;x\u0007|\u001b[31mred\r\n|)"));
}

}  // namespace
}  // namespace kafkasink
