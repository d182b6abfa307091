"""Fixtures of the Spark oracle: one SparkSession, the real broker, kafkasink's programs.

The broker is the one ctest's `real_kafka` fixture started (KAFKASINK_REAL_KAFKA names its
folder); outside ctest start one by hand (tests/oracle/README.md). kafkasink's side is the
`oracle_programs` executable (KAFKASINK_ORACLE_PROGRAMS, or the default preset's build).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]
ORACLE_DIR = Path(__file__).resolve().parent
DEFAULT_PROGRAMS = SOURCE_DIR / "build" / "default" / "tests" / "oracle" / "oracle_programs"
PROGRAM_TIMEOUT_S = 180


def _required_env_path(name, default=None):
    value = os.environ.get(name)
    if value:
        return Path(value)
    if default is not None and default.exists():
        return default
    raise pytest.UsageError(f"{name} is not set (see tests/oracle/README.md)")


@pytest.fixture(scope="session")
def bootstrap():
    folder = _required_env_path("KAFKASINK_REAL_KAFKA")
    cluster = folder / "cluster.json"
    if not cluster.exists():
        raise pytest.UsageError(f"no Kafka cluster in {folder}: start one with "
                                "tests/support/kafka_cluster.py start")
    return json.loads(cluster.read_text())["bootstrap"]


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    jars = sorted((SOURCE_DIR / ".deps" / "spark" / "jars").glob("*.jar"))
    if not jars:
        raise pytest.UsageError("no Spark Kafka connector jars in .deps/spark/jars: "
                                "run ./dev.sh deps")
    session = (SparkSession.builder.master("local[2]")
               .appName("kafkasink-oracle")
               .config("spark.jars", ",".join(str(jar) for jar in jars))
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def scratch():
    """A folder for copies of inputs and checkpoints, removed at the end."""
    root = os.environ.get("KAFKASINK_ORACLE_TMP")
    if root:
        Path(root).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="oracle-", dir=root))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Kafkasink:
    """Runs a subcommand of oracle_programs and returns what it printed, as bytes."""

    def __init__(self, path):
        self.path = path

    def run(self, *arguments):
        result = subprocess.run([str(self.path), *map(str, arguments)], cwd=SOURCE_DIR,
                                capture_output=True, timeout=PROGRAM_TIMEOUT_S, check=False)
        if result.returncode != 0:
            raise AssertionError(
                f"kafkasink program {' '.join(map(str, arguments[:1]))} failed "
                f"(exit {result.returncode}): {result.stderr.decode(errors='replace')}")
        return result.stdout


@pytest.fixture(scope="session")
def kafkasink():
    path = _required_env_path("KAFKASINK_ORACLE_PROGRAMS", DEFAULT_PROGRAMS)
    if not path.exists():
        raise pytest.UsageError(f"{path} does not exist: build the default preset")
    return Kafkasink(path)


class Topics:
    """Creates uniquely named topics on the broker and reads them back."""

    def __init__(self, bootstrap):
        from confluent_kafka.admin import AdminClient

        self.bootstrap = bootstrap
        self.admin = AdminClient({"bootstrap.servers": bootstrap})

    def create(self, name, partitions):
        from confluent_kafka.admin import NewTopic

        legal = re.sub(r"[^A-Za-z0-9._-]", "-", name)
        topic = f"oracle-{legal}-{uuid.uuid4().hex[:8]}"
        futures = self.admin.create_topics(
            [NewTopic(topic, num_partitions=partitions, replication_factor=1)],
            operation_timeout=30)
        futures[topic].result(timeout=60)
        return topic

    def read(self, topic, timeout_s=60):
        """Every record of `topic`: {partition: [(key, value, headers), ...]} in offset order."""
        from confluent_kafka import Consumer, KafkaException, TopicPartition

        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": topic,
                             "enable.auto.commit": False, "enable.partition.eof": False})
        try:
            metadata = consumer.list_topics(topic, timeout=timeout_s).topics[topic]
            if metadata.error is not None:
                raise KafkaException(metadata.error)
            ends = {}
            for partition in metadata.partitions:
                _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition),
                                                         timeout=timeout_s)
                ends[partition] = high
            records = {partition: [] for partition in ends}
            wanted = {p: end for p, end in ends.items() if end > 0}
            consumer.assign([TopicPartition(topic, p, 0) for p in wanted])
            remaining = sum(wanted.values())
            while remaining > 0:
                message = consumer.poll(timeout_s)
                if message is None:
                    raise AssertionError(f"reading {topic} timed out with {remaining} left")
                if message.error() is not None:
                    raise KafkaException(message.error())
                if message.offset() >= wanted[message.partition()]:
                    continue
                records[message.partition()].append(
                    (message.topic(), message.key(), message.value(), message.headers()))
                remaining -= 1
            return records
        finally:
            consumer.close()


@pytest.fixture(scope="session")
def topics(bootstrap):
    return Topics(bootstrap)
