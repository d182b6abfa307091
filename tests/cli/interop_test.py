#!/usr/bin/env python3
"""Interoperability of `kafkasink write` with other Kafka clients.

Starts `kafkasink broker --topic interop:3`, writes a CSV file with keys, a partition column,
a fixed header and a header taken from a column, then reads the topic back with kcat, the
confluent_kafka consumer, the kafka-python consumer and `kafkasink read`, and checks that
every one of them sees exactly the records expected: keys, values, partitions and headers.

Usage: interop_test.py KAFKASINK_BINARY
Every client is required: a missing one fails the test (`./dev.sh deps` installs them).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOPIC = "interop"
PARTITIONS = 3
DEPS_HINT = "./dev.sh deps installs it (Debian packages kcat, python3-confluent-kafka, python3-kafka)"


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def require_clients():
    if shutil.which("kcat") is None:
        fail(f"kcat is not installed: {DEPS_HINT}")
    for module in ("confluent_kafka", "kafka"):
        try:
            __import__(module)
        except ImportError:
            fail(f"the Python module {module} is not importable by {sys.executable}: {DEPS_HINT}")


def rows():
    """The rows written: ids 1..60, names with spaces, quotes, commas, non-ASCII, and nulls."""
    names = ["Ann", "Bob Smith", 'Zoë "Z"', "comma, inside", "", "tab-free ✓"]
    for number in range(1, 61):
        yield {"id": number, "name": names[number % len(names)], "slot": number % PARTITIONS}


def spark_csv_field(value):
    """A CSV field as Spark's CSV writer writes it: quoted when it holds a quote or a comma, a
    quote inside escaped with `\\` (Spark's default escape; it reads an RFC 4180 `""` raw)."""
    text = str(value)
    if '"' not in text and "," not in text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expected_records():
    """(partition, offset, key, value, headers) as Spark's sink writes them."""
    records = []
    next_offset = [0] * PARTITIONS
    for row in rows():
        name = row["name"] or None  # an empty CSV field is null
        # to_json(struct(*)): fields in order, nulls omitted, compact, UTF-8 unescaped.
        fields = {"id": row["id"], "name": name, "slot": row["slot"]}
        value = json.dumps({k: v for k, v in fields.items() if v is not None},
                           ensure_ascii=False, separators=(",", ":"))
        headers = (("source", "kafkasink-interop"), ("name", name))
        partition = row["slot"]
        records.append((partition, next_offset[partition], str(row["id"]), value, headers))
        next_offset[partition] += 1
    return sorted(records)


def text(data):
    if data is None:
        return None
    return data.decode("utf-8") if isinstance(data, bytes) else data


def read_with_kcat(servers):
    output = subprocess.run(
        ["kcat", "-C", "-b", servers, "-t", TOPIC, "-e", "-q", "-J"],
        check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
    records = []
    for line in output.splitlines():
        message = json.loads(line)
        flat = message.get("headers") or []
        headers = tuple((flat[i], flat[i + 1]) for i in range(0, len(flat), 2))
        records.append((message["partition"], message["offset"], message["key"],
                        message["payload"], headers))
    return sorted(records)


def read_with_confluent_kafka(servers, total):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": servers, "group.id": "kafkasink-interop-ck",
                         "enable.auto.commit": False})
    try:
        partitions = sorted(consumer.list_topics(TOPIC, timeout=10).topics[TOPIC].partitions)
        consumer.assign([TopicPartition(TOPIC, p, OFFSET_BEGINNING) for p in partitions])
        records = []
        deadline = time.monotonic() + 30
        while len(records) < total and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            headers = tuple((k, text(v)) for k, v in (message.headers() or []))
            records.append((message.partition(), message.offset(), text(message.key()),
                            text(message.value()), headers))
        return sorted(records)
    finally:
        consumer.close()


def read_with_kafka_python(servers):
    from kafka import KafkaConsumer, TopicPartition
    # kafka-python's version probe works against librdkafka's mock broker; pinning
    # api_version would work as well (tried: (0, 10, 1), (1, 0, 0), (2, 0, 0)).
    consumer = KafkaConsumer(bootstrap_servers=servers, group_id=None, enable_auto_commit=False,
                             auto_offset_reset="earliest", consumer_timeout_ms=3000)
    try:
        partitions = [TopicPartition(TOPIC, p) for p in sorted(consumer.partitions_for_topic(TOPIC))]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records = []
        for message in consumer:
            headers = tuple((k, text(v)) for k, v in (message.headers or []))
            records.append((message.partition, message.offset, text(message.key),
                            text(message.value), headers))
        return sorted(records)
    finally:
        consumer.close()


def read_with_kafkasink(binary, servers):
    output = subprocess.run(
        [binary, "read", "--topic", TOPIC, "--bootstrap-servers", servers, "--format", "json"],
        check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
    records = []
    for line in output.splitlines():
        message = json.loads(line)
        headers = tuple((h["key"], h["value"]) for h in message["headers"])
        records.append((message["partition"], message["offset"], message["key"],
                        message["value"], headers))
    return sorted(records)


def compare(client, actual, expected):
    if actual == expected:
        print(f"ok: {client} read the {len(actual)} records expected", flush=True)
        return True
    print(f"FAIL: {client} read {len(actual)} records, expected {len(expected)}", flush=True)
    for got, want in zip(actual, expected):
        if got != want:
            print(f"  first difference:\n    got      {got!r}\n    expected {want!r}")
            break
    return False


def main():
    if len(sys.argv) != 2:
        fail("usage: interop_test.py KAFKASINK_BINARY")
    binary = sys.argv[1]
    require_clients()
    broker = subprocess.Popen([binary, "broker", "--topic", f"{TOPIC}:{PARTITIONS}"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        servers = broker.stdout.readline().strip()
        if not servers:
            fail("kafkasink broker printed no bootstrap servers")
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "people.csv")
            with open(path, "w", newline="", encoding="utf-8") as file:
                file.write("id,name,slot\n")
                for row in rows():
                    file.write(",".join(spark_csv_field(row[name])
                                        for name in ("id", "name", "slot")) + "\n")
            write = subprocess.run(
                [binary, "write", path, "--format", "csv", "--header", "--infer-schema",
                 "--topic", TOPIC, "--key", "id", "--value-json", "--partition-column", "slot",
                 "-H", "source=kafkasink-interop", "--header-column", "name",
                 "--bootstrap-servers", servers, "-X", "kafka.acks=all"],
                capture_output=True, text=True, timeout=60)
            if write.returncode != 0:
                fail(f"kafkasink write exited with {write.returncode}: {write.stderr}")
            print(write.stderr.strip(), flush=True)
        expected = expected_records()
        results = [
            compare("kcat", read_with_kcat(servers), expected),
            compare("confluent_kafka", read_with_confluent_kafka(servers, len(expected)), expected),
            compare("kafka-python", read_with_kafka_python(servers), expected),
            compare("kafkasink read", read_with_kafkasink(binary, servers), expected),
        ]
    finally:
        broker.terminate()
        broker_exit = broker.wait(timeout=30)
    if broker_exit != 0:
        fail(f"kafkasink broker exited with {broker_exit} on SIGTERM")
    if not all(results):
        sys.exit(1)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
