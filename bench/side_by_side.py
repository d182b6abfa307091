#!/usr/bin/env python3
"""Side by side: the census rows written to Kafka by Spark, Java, kafkasink, kcat, confluent-kafka.

Run by `./dev.sh bench` (with .deps/spark-venv's Python, which has PySpark and confluent-kafka);
never by the tests. For every row count (default 200,000 and 2,000,000) it writes the census
rows of data/census_1000.csv, repeated with `_c0` renumbered, to a topic of 8 partitions made
fresh for each measurement, and times:

  spark           PySpark 3.5 (local[2]): the seed's batch program, read CSV (header,
                  inferSchema), value = to_json(struct(all)), key = CAST(_c0 AS STRING),
                  write.format("kafka").save(); read + write timed after a warm-up run of the
                  same program on census_1000.csv
  java            org.apache.kafka.tools.ProducerPerformance at full speed, records of the
                  same mean size (null keys), acks=all, enable.idempotence=true: the ceiling
                  of the Java client Spark uses (its own records/sec)
  save            kafkasink's save() doing the seed program (build/default/bench/
                  side_by_side_save), read + write timed after the same warm-up
  cli             `kafkasink write FILE --header --infer-schema --key _c0 --value-json`,
                  the whole process timed from outside
  kcat            `kcat -P -K '\\t' -l LINES`: the pre-serialized key TAB value lines (the
                  bytes save() sends), the whole process timed
  confluent       confluent-kafka (Python) producing the same lines, read into memory first,
                  produce + flush timed

on a real one-node Kafka broker (tests/support/kafka_cluster.py, started and stopped here) and
then on the embedded mock broker (`kafkasink broker`, one per measurement). Every librdkafka
client is set as kafkasink's defaults: acks=all, enable.idempotence=true,
partitioner=murmur2_random. After each measurement the topic's end offsets must add up to the
row count, or the measurement is marked failed. Peak RSS is /usr/bin/time -v's maximum
resident set size of the process (for Spark, the JVM's VmHWM, read before the session stops).

Each measurement runs --repeat times (default 2), round the tools, and the fastest run is
shown with every run's rate. The Markdown table goes to standard output and to build/bench/side_by_side.md.

    side_by_side.py [--rows 200000,2000000] [--brokers real,mock] [--tools spark,java,...]
                    [--repeat 2] [--output FILE]
"""

import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[1]
BUILD_DIR = SOURCE_DIR / "build" / "default"
WORK_DIR = SOURCE_DIR / "build" / "bench" / "side_by_side"
REPORT = SOURCE_DIR / "build" / "bench" / "side_by_side.md"
CENSUS = SOURCE_DIR / "data" / "census_1000.csv"
KAFKA_LIB = SOURCE_DIR / ".deps" / "kafka" / "lib"
SPARK_JARS = SOURCE_DIR / ".deps" / "spark" / "jars"
CLUSTER_SCRIPT = SOURCE_DIR / "tests" / "support" / "kafka_cluster.py"
SAVE_PROGRAM = BUILD_DIR / "bench" / "side_by_side_save"
CLI_PROGRAM = BUILD_DIR / "tools" / "kafkasink"
PARTITIONS = 8
TOOLS = ["spark", "java", "save", "cli", "kcat", "confluent"]
LIBRDKAFKA_SETTINGS = {"acks": "all", "enable.idempotence": "true",
                       "partitioner": "murmur2_random"}
MOCK_START_TIMEOUT_S = 30


def fail(message):
    print(f"side_by_side: {message}", file=sys.stderr)
    sys.exit(1)


def run_timeout(rows):
    """A bound for one measurement: generous for the slowest tool on a loaded machine."""
    return 180 + rows // 1000


def load_average():
    return float(Path("/proc/loadavg").read_text().split()[0])


# ---- inputs -------------------------------------------------------------------------------

def census_csv(rows):
    """data/census_1000.csv's rows repeated to `rows`, `_c0` renumbered 0, 1, ..."""
    path = WORK_DIR / f"census_{rows}.csv"
    header, *lines = CENSUS.read_text().splitlines()
    lines = [line.split(",", 1)[1] for line in lines if line]
    partial = path.with_suffix(".partial")
    with open(partial, "w") as out:
        out.write(header + "\n")
        for index in range(rows):
            out.write(f"{index},{lines[index % len(lines)]}\n")
    partial.rename(path)
    return path


def serialized_lines(rows, csv):
    """The key TAB value lines save() sends for `csv`, written by kafkasink itself (every run,
    so that they follow the library). Returns the path and the mean key + value bytes."""
    path = WORK_DIR / f"census_{rows}.lines"
    result = subprocess.run([str(SAVE_PROGRAM), "serialize", str(csv), str(path)],
                            capture_output=True, text=True, timeout=run_timeout(rows),
                            check=False)
    if result.returncode != 0:
        fail(f"serializing {csv} failed: {result.stderr.strip()}")
    counts = last_json(result.stdout)
    if counts["rows"] != rows:
        fail(f"{path} holds {counts['rows']} records, not {rows}")
    return path, counts["bytes"] / rows


# ---- brokers --------------------------------------------------------------------------------

class RealBroker:
    """The one-node KRaft broker of the real-kafka tests, for the whole run."""
    name = "real one-node Kafka 4.1.2 broker"

    def __init__(self):
        self.directory = WORK_DIR / "kafka"
        self.bootstrap = None

    def start(self):
        subprocess.run([sys.executable, str(CLUSTER_SCRIPT), "start", str(self.directory),
                        "--nodes", "1", "--heap", "1g"], check=True, timeout=180)
        self.bootstrap = json.loads((self.directory / "cluster.json").read_text())["bootstrap"]
        from confluent_kafka.admin import AdminClient
        self.admin = AdminClient({"bootstrap.servers": self.bootstrap})

    def stop(self):
        subprocess.run([sys.executable, str(CLUSTER_SCRIPT), "stop", str(self.directory)],
                       check=False, timeout=60)

    def topics(self, names):
        """Creates `names` fresh (PARTITIONS partitions each); returns the bootstrap servers."""
        from confluent_kafka.admin import NewTopic
        futures = self.admin.create_topics(
            [NewTopic(name, PARTITIONS, 1) for name in names], request_timeout=30)
        for future in futures.values():
            future.result(timeout=60)
        wait_for_leaders(self.bootstrap, names)
        return self.bootstrap

    def done(self, names):
        """Deletes `names` so that the broker's disk holds one measurement at a time."""
        for future in self.admin.delete_topics(list(names), request_timeout=30).values():
            try:
                future.result(timeout=60)
            except Exception as error:  # noqa: BLE001 - a leftover topic only costs disk
                print(f"side_by_side: could not delete a topic: {error}", file=sys.stderr)


class MockBroker:
    """`kafkasink broker` (librdkafka's mock cluster), a fresh one for every measurement."""
    name = "embedded mock broker (`kafkasink broker`, librdkafka 2.0.2 MockCluster)"

    def __init__(self):
        self.process = None
        self.bootstrap = None

    def start(self):
        pass

    def stop(self):
        self.done([])

    def topics(self, names):
        arguments = [str(CLI_PROGRAM), "broker"]
        for name in names:
            arguments += ["--topic", f"{name}:{PARTITIONS}"]
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True,
                                        start_new_session=True)
        ready, _, _ = select.select([self.process.stdout], [], [], MOCK_START_TIMEOUT_S)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line:
            self.done(names)
            fail(f"kafkasink broker printed no bootstrap servers in {MOCK_START_TIMEOUT_S} s")
        self.bootstrap = line
        wait_for_leaders(self.bootstrap, names)
        return self.bootstrap

    def done(self, names):
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.process = None


def wait_for_leaders(bootstrap, names, timeout=60):
    from confluent_kafka.admin import AdminClient
    admin = AdminClient({"bootstrap.servers": bootstrap})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        metadata = admin.list_topics(timeout=10)
        if all(name in metadata.topics and metadata.topics[name].error is None
               and len(metadata.topics[name].partitions) == PARTITIONS
               and all(p.leader >= 0 for p in metadata.topics[name].partitions.values())
               for name in names):
            return
        time.sleep(0.2)
    fail(f"topics {names} have no leaders after {timeout} s")


def records_in(bootstrap, topic):
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "side-by-side-count",
                         "enable.auto.commit": "false"})
    try:
        total = 0
        for partition in range(PARTITIONS):
            _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition),
                                                       timeout=30)
            total += high  # the mock drops its oldest records; a fresh topic starts at 0
        return total
    finally:
        consumer.close()


# ---- the tools --------------------------------------------------------------------------------

def timed(command, rows, env=None):
    """Runs `command` under /usr/bin/time -v; returns (wall seconds, stdout, stderr, peak RSS
    KiB). In a process group of its own, killed whole on a timeout or an interrupt, so that no
    JVM or Spark driver outlives the measurement."""
    start = time.monotonic()
    process = subprocess.Popen(["/usr/bin/time", "-v", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=run_timeout(rows))
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    seconds = time.monotonic() - start
    if process.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-60:])
        raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{tail}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return seconds, stdout, stderr, int(match.group(1)) if match else None


def last_json(stdout):
    return json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])


def measure_spark(context):
    seconds, stdout, _, rss = timed(
        [sys.executable, __file__, "spark-job", str(context["csv"]), context["bootstrap"],
         context["topic"], str(CENSUS), context["warmup_topic"]], context["rows"])
    result = last_json(stdout)
    return result["seconds"], result["jvm_kib"], (
        f"read (schema inference) {result['read_seconds']:.2f} s + write job "
        f"{result['save_seconds']:.2f} s; "
        f"process {seconds:.1f} s; RSS of the JVM (Python's: {rss / 1024:.0f} MiB)")


def measure_java(context):
    size = round(context["record_size"])
    _, stdout, _, rss = timed(
        ["java", "-Xmx1g", "-cp", f"{KAFKA_LIB}/*",
         f"-Dlog4j2.configurationFile={WORK_DIR / 'log4j2-quiet.properties'}",
         "org.apache.kafka.tools.ProducerPerformance", "--topic", context["topic"],
         "--num-records", str(context["rows"]), "--record-size", str(size), "--throughput", "-1",
         "--producer-props", f"bootstrap.servers={context['bootstrap']}", "acks=all",
         "enable.idempotence=true"], context["rows"])
    match = re.search(r"(\d+) records sent, ([\d.]+) records/sec", stdout)
    if match is None:
        raise RuntimeError(f"ProducerPerformance printed no total:\n{stdout[-2000:]}")
    rate = float(match.group(2))
    return context["rows"] / rate, rss, f"{size}-byte values, null keys; its own records/sec"


def measure_save(context):
    seconds, stdout, _, rss = timed(
        [str(SAVE_PROGRAM), "save", str(context["csv"]), context["bootstrap"], context["topic"],
         str(CENSUS), context["warmup_topic"]], context["rows"])
    result = last_json(stdout)
    return result["seconds"], rss, (f"read {result['read_seconds']:.2f} s + to_json and save() "
                                    f"{result['save_seconds']:.2f} s; process {seconds:.1f} s")


def measure_cli(context):
    seconds, _, stderr, rss = timed(
        [str(CLI_PROGRAM), "write", str(context["csv"]), "--format", "csv", "--header",
         "--infer-schema", "--topic", context["topic"], "--key", "_c0", "--value-json",
         "--bootstrap-servers", context["bootstrap"]], context["rows"])
    summary = re.search(r"wrote .* in ([\d.]+) s: .* \(reading the input took ([\d.]+) s\)",
                        stderr)
    note = "whole process"
    if summary:
        note += (f" (its summary: read and to_json {summary.group(2)} s + save() "
                 f"{summary.group(1)} s)")
    return seconds, rss, note


def measure_kcat(context):
    settings = [item for name, value in LIBRDKAFKA_SETTINGS.items()
                for item in ("-X", f"{name}={value}")]
    seconds, _, _, rss = timed(
        ["kcat", "-P", "-q", "-b", context["bootstrap"], "-t", context["topic"], "-K", "\t",
         *settings, "-l", str(context["lines"])], context["rows"])
    return seconds, rss, "whole process, pre-serialized lines"


def measure_confluent(context):
    _, stdout, _, rss = timed(
        [sys.executable, __file__, "confluent-job", str(context["lines"]), context["bootstrap"],
         context["topic"]], context["rows"])
    result = last_json(stdout)
    return result["seconds"], rss, (f"produce + flush, lines read first; librdkafka "
                                    f"{result['librdkafka']}")


MEASURES = {"spark": measure_spark, "java": measure_java, "save": measure_save,
            "cli": measure_cli, "kcat": measure_kcat, "confluent": measure_confluent}
LABELS = {"spark": "Spark 3.5.7 `write.format(\"kafka\").save()` (PySpark, local[2])",
          "java": "Java producer (`ProducerPerformance`, kafka-clients 4.1.2)",
          "save": "kafkasink `save()` (seed program)",
          "cli": "`kafkasink write` (CLI)",
          "kcat": "`kcat -P` (pre-serialized lines)",
          "confluent": "confluent-kafka 2.6.1 (Python, pre-serialized lines)"}
# The topics a tool writes to: its measured one and, for the programs that warm up, another.
WARMS_UP = {"spark", "save"}
# Java's clients do not work against librdkafka 2.0.2's mock cluster: kafka-clients 4.1.2
# (ProducerPerformance) and 3.4.1 (Spark's) both wait out max.block.ms with "Topic ... not
# present in metadata". Not run there, rather than waiting out the timeouts.
NOT_ON_MOCK = {"spark": "not run: Spark's kafka-clients 3.4.1 times out against the mock "
                        "(`Topic ... not present in metadata after 60000 ms`)",
               "java": "not run: kafka-clients 4.1.2 times out against the mock "
                       "(`Topic ... not present in metadata`)"}


# ---- the jobs run as child processes (so that each has its own peak RSS) -----------------------

def spark_job(csv, bootstrap, topic, warmup_csv, warmup_topic):
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import struct, to_json
    jars = ",".join(str(jar) for jar in sorted(SPARK_JARS.glob("*.jar")))
    spark = (SparkSession.builder.master("local[2]").appName("side_by_side")
             .config("spark.jars", jars)
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    def seed_program(path, to_topic):
        df = spark.read.format("csv").option("header", "true").option("inferSchema", "true") \
            .load(path)
        read_done = time.monotonic()
        df = df.withColumn("value", to_json(struct(*df.columns)))
        (df.selectExpr("CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)")
         .write.format("kafka").option("kafka.bootstrap.servers", bootstrap)
         .option("topic", to_topic).save())
        return read_done

    seed_program(warmup_csv, warmup_topic)
    start = time.monotonic()
    read_done = seed_program(csv, topic)
    end = time.monotonic()
    # The JVM (spark-submit execs java) is not reaped by this process, so /usr/bin/time would
    # not see it: read its high-water mark here.
    status = Path(f"/proc/{spark.sparkContext._gateway.proc.pid}/status").read_text()
    jvm_kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    print(json.dumps({"read_seconds": read_done - start, "save_seconds": end - read_done,
                      "seconds": end - start, "jvm_kib": jvm_kib}))
    spark.stop()


def confluent_job(lines, bootstrap, topic):
    from confluent_kafka import KafkaException, Producer
    records = []
    with open(lines, "rb") as source:
        for line in source:
            key, _, value = line.rstrip(b"\n").partition(b"\t")
            records.append((key, value))
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(error)

    producer = Producer({"bootstrap.servers": bootstrap, **LIBRDKAFKA_SETTINGS})
    producer.list_topics(topic, timeout=30)  # metadata before the clock starts
    start = time.monotonic()
    for key, value in records:
        while True:
            try:
                producer.produce(topic, value, key, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.01)
        producer.poll(0)
    left = producer.flush(run_timeout(len(records)))
    seconds = time.monotonic() - start
    if left or failures:
        raise KafkaException(f"{left} records not flushed, {len(failures)} failed: "
                             f"{failures[:1]}")
    import confluent_kafka
    print(json.dumps({"seconds": seconds, "librdkafka": confluent_kafka.libversion()[0]}))


# ---- the run --------------------------------------------------------------------------------

def measure(broker, tool, rows, inputs, sequence):
    topic = f"side-{tool}-{rows}-{sequence}"
    names = [topic] + ([f"{topic}-warmup"] if tool in WARMS_UP else [])
    csv, lines, record_size = inputs
    result = {"tool": tool, "rows": rows}
    try:
        bootstrap = broker.topics(names)
        context = {"rows": rows, "csv": csv, "lines": lines, "record_size": record_size,
                   "bootstrap": bootstrap, "topic": topic, "warmup_topic": f"{topic}-warmup"}
        load_before = load_average()
        seconds, rss, note = MEASURES[tool](context)
        result.update(seconds=seconds, rss_kib=rss, note=note,
                      load=(load_before + load_average()) / 2)
        written = records_in(bootstrap, topic)
        if written != rows:
            raise RuntimeError(f"the topic holds {written} records, not {rows}")
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        result["error"] = str(error)
        print(f"side_by_side: {tool}, {rows} rows: {error}", file=sys.stderr)
    except Exception as error:  # noqa: BLE001 - a failed tool is a row of the table, not the end
        result["error"] = f"{type(error).__name__}: {error}"
        print(f"side_by_side: {tool}, {rows} rows: {result['error']}", file=sys.stderr)
    finally:
        broker.done(names)
    if "error" not in result:
        print(f"side_by_side: {tool:9} {rows:>9,} rows  {rows / result['seconds']:>10,.0f} rows/s"
              f"  ({result['seconds']:.2f} s, load {result['load']:.1f})", file=sys.stderr)
    return result


def best_of(runs):
    """One table entry from a tool's repetitions: the fastest, with every rate in its note;
    a failed repetition fails the entry (a lost record is not noise)."""
    failed = [run for run in runs if "error" in run]
    if failed:
        return failed[0]
    best = dict(min(runs, key=lambda run: run["seconds"]))
    if len(runs) > 1:
        rates = ", ".join(f"{run['rows'] / run['seconds']:,.0f}" for run in runs)
        best["note"] += f"; best of {len(runs)} runs ({rates} rows/s)"
        best["rss_kib"] = max(run["rss_kib"] or 0 for run in runs) or None
    return best


def table(broker_name, results, rows_list):
    lines = [f"### {broker_name}", "",
             "| rows | tool | rows/s | ÷ save() | ÷ Java | seconds | peak RSS | load | timed |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for rows in rows_list:
        of_size = {r["tool"]: r for r in results if r["rows"] == rows}

        def rate(tool):
            entry = of_size.get(tool)
            return rows / entry["seconds"] if entry and "seconds" in entry else None

        for tool in TOOLS:
            entry = of_size.get(tool)
            if entry is None:
                continue
            if "skipped" in entry:
                lines.append(f"| {rows:,} | {LABELS[tool]} | | | | | | | {entry['skipped']} |")
                continue
            if "error" in entry:
                first = entry["error"].strip().splitlines()[0][:120].replace("|", "/")
                lines.append(f"| {rows:,} | {LABELS[tool]} | failed | | | | | | {first} |")
                continue
            mine = rate(tool)
            ratios = [f"{mine / other:.2f}×" if other else "" for other in
                      (rate("save"), rate("java"))]
            rss = f"{entry['rss_kib'] / 1024:,.0f} MiB" if entry.get("rss_kib") else ""
            lines.append(f"| {rows:,} | {LABELS[tool]} | {mine:,.0f} | {ratios[0]} | "
                         f"{ratios[1]} | {entry['seconds']:.2f} | {rss} | {entry['load']:.1f} | "
                         f"{entry['note']} |")
    return "\n".join(lines) + "\n"


def check_prerequisites(tools):
    needed = {"save": SAVE_PROGRAM, "cli": CLI_PROGRAM}
    for tool, path in needed.items():
        if (tool in tools or tool == "save") and not path.exists():
            fail(f"{path} is missing: build the default preset (./dev.sh build)")
    if not Path("/usr/bin/time").exists():
        fail("/usr/bin/time is missing (the Debian package time): run ./dev.sh deps")
    if "kcat" in tools and shutil.which("kcat") is None:
        fail("kcat is missing: run ./dev.sh deps")
    if not any(KAFKA_LIB.glob("kafka-tools-*.jar")):
        fail(f"no Kafka jars in {KAFKA_LIB}: run ./dev.sh deps")
    if "spark" in tools and not any(SPARK_JARS.glob("spark-sql-kafka-*.jar")):
        fail(f"no Spark Kafka connector in {SPARK_JARS}: run ./dev.sh deps")
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        fail(f"{sys.executable} has no confluent_kafka: run with .deps/spark-venv/bin/python")


def exit_on_sigterm(signum, _frame):
    # SystemExit unwinds through the `finally` that stops the broker.
    sys.exit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="200000,2000000",
                        help="comma-separated row counts (default 200000,2000000)")
    parser.add_argument("--brokers", default="real,mock", help="real, mock or both")
    parser.add_argument("--tools", default=",".join(TOOLS), help=",".join(TOOLS))
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of every measurement; the fastest is reported (default 2)")
    parser.add_argument("--output", default=str(REPORT))
    arguments = parser.parse_args()
    rows_list = [int(value.replace("_", "")) for value in arguments.rows.split(",")]
    if arguments.repeat < 1 or arguments.repeat > 10:
        fail("--repeat takes 1 to 10")
    tools = [tool for tool in arguments.tools.split(",") if tool]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        fail(f"unknown tools {sorted(unknown)}; known: {', '.join(TOOLS)}")
    brokers = {"real": RealBroker, "mock": MockBroker}
    chosen = [name for name in arguments.brokers.split(",") if name]
    if set(chosen) - set(brokers):
        fail(f"--brokers takes real and/or mock, not {arguments.brokers}")
    check_prerequisites(tools)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    (WORK_DIR / "log4j2-quiet.properties").write_text(
        "status = error\nrootLogger.level = WARN\n")

    inputs = {}
    for rows in rows_list:
        csv = census_csv(rows)
        inputs[rows] = (csv, *serialized_lines(rows, csv))

    started = datetime.now(timezone.utc)
    load_start = Path("/proc/loadavg").read_text().strip()
    sections = []
    sequence = 0
    for name in chosen:
        broker = brokers[name]()
        results = []
        try:
            broker.start()
            for rows in rows_list:
                # Repetitions go round the tools, so that a busy minute of the machine does
                # not fall on one tool's every run.
                runs = {tool: [] for tool in tools}
                for _ in range(arguments.repeat):
                    for tool in tools:
                        if name == "mock" and tool in NOT_ON_MOCK:
                            continue
                        sequence += 1
                        runs[tool].append(measure(broker, tool, rows, inputs[rows], sequence))
                for tool in tools:
                    if name == "mock" and tool in NOT_ON_MOCK:
                        results.append({"tool": tool, "rows": rows, "skipped": NOT_ON_MOCK[tool]})
                    else:
                        results.append(best_of(runs[tool]))
        finally:
            broker.stop()
        sections.append(table(broker.name, results, rows_list))
    load_end = Path("/proc/loadavg").read_text().strip()

    sizes = ", ".join(f"{rows:,} rows: mean record {inputs[rows][2]:.0f} bytes (key + value)"
                      for rows in rows_list)
    report = "\n".join([
        "## Side by side: the census rows to Kafka", "",
        f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores; load average (1, 5, 15 min) "
        f"{' '.join(load_start.split()[:3])} at the start, {' '.join(load_end.split()[:3])} at "
        f"the end; `load` is the 1-minute average around each measurement. Topics of "
        f"{PARTITIONS} partitions, fresh per measurement; {sizes}; each measurement run "
        f"{arguments.repeat} time(s), the fastest shown. `÷ save()` and `÷ Java` "
        f"divide a row's rows/s by kafkasink save()'s and the Java producer's at the same row "
        f"count. Written by bench/side_by_side.py.", "", *sections])
    Path(arguments.output).parent.mkdir(parents=True, exist_ok=True)
    Path(arguments.output).write_text(report)
    print(report)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "spark-job":
        spark_job(*sys.argv[2:7])
    elif len(sys.argv) > 1 and sys.argv[1] == "confluent-job":
        confluent_job(*sys.argv[2:5])
    else:
        main()
