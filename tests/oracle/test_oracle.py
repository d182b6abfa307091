"""Spark 3.5 as the oracle: each program runs on PySpark and on kafkasink against the same real
broker, and what reached Kafka (topic, partition, key, value, headers, order within each
partition), what show() and printSchema() print and the text of each error are compared.

One test per program and corpus file, so that a known difference (known_differences.py, strict
xfail) never hides another one."""

import os
import re
import shutil

import pytest

import programs
from conftest import ORACLE_DIR, SOURCE_DIR
from known_differences import DELIBERATE, KNOWN_DIFFERENCES

CENSUS = SOURCE_DIR / "data" / "census_1000.csv"
FLIGHTS = SOURCE_DIR / "data" / "flight-data"
CORPUS = ORACLE_DIR / "data"
CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".jsonl"))
# Keyed records go to several partitions (both sides partition a key with murmur2); records
# without a key go to one partition, since Java's sticky partitioner and librdkafka's random
# one would scatter them differently.
KEYED_PARTITIONS = 3
MAX_REPORTED = 12


PARAMETERIZED = set()


def cases(program, items):
    """pytest parameters for `program` over `items`, with the known differences marked."""
    params = []
    for item in items:
        PARAMETERIZED.add((program, item))
        known = KNOWN_DIFFERENCES.get((program, item))
        marks = []
        if known is not None:
            issue_item, reason = known
            marks.append(pytest.mark.xfail(
                strict=True, reason=f"known difference, issue 10 item {issue_item}: {reason}"))
        params.append(pytest.param(item, marks=marks, id=item))
    return params


def form_of(name):
    return "csv" if name.endswith(".csv") else "json"


def as_bytes(text):
    """A Java string from Spark as the UTF-8 bytes Java writes (lone surrogates kept visible)."""
    return text.encode("utf-8", "surrogatepass")


# ---- comparisons ----------------------------------------------------------------------------

def compare_records(program, spark_side, kafkasink_side):
    """Fails naming the program, each differing record and both byte strings."""
    spark_topic, spark_records = spark_side
    kafkasink_topic, kafkasink_records = kafkasink_side
    differences = []

    def normalized(record, own_topic):
        topic, key, value, headers = record
        return ("<the program's topic>" if topic == own_topic else topic, key, value,
                headers)

    total = sum(len(records) for records in spark_records.values())
    for partition in sorted(set(spark_records) | set(kafkasink_records)):
        expected = [normalized(r, spark_topic) for r in spark_records.get(partition, [])]
        actual = [normalized(r, kafkasink_topic) for r in kafkasink_records.get(partition, [])]
        if len(expected) != len(actual):
            differences.append(f"partition {partition}: Spark wrote {len(expected)} records, "
                               f"kafkasink {len(actual)}")
        for index, (want, got) in enumerate(zip(expected, actual)):
            for field, spark_field, kafkasink_field in zip(("topic", "key", "value", "headers"),
                                                           want, got):
                if spark_field != kafkasink_field:
                    differences.append(
                        f"partition {partition} record {index} ({field}):\n"
                        f"    Spark:     {spark_field!r}\n    kafkasink: {kafkasink_field!r}")
    if differences:
        shown = differences[:MAX_REPORTED]
        more = len(differences) - len(shown)
        raise AssertionError(
            f"{program}: {len(differences)} difference(s) in {total} records written by Spark\n"
            + "\n".join(shown) + (f"\n... and {more} more" if more else ""))
    assert total > 0, f"{program}: Spark wrote no records"


def compare_text(program, spark_text, kafkasink_text):
    expected = as_bytes(spark_text)
    if expected == kafkasink_text:
        return
    spark_lines = expected.split(b"\n")
    kafkasink_lines = kafkasink_text.split(b"\n")
    first = next((i for i, (a, b) in enumerate(zip(spark_lines, kafkasink_lines)) if a != b),
                 min(len(spark_lines), len(kafkasink_lines)))
    raise AssertionError(
        f"{program}: the text differs from line {first + 1}\n"
        f"    Spark:     {spark_lines[first] if first < len(spark_lines) else b'(end)'!r}\n"
        f"    kafkasink: "
        f"{kafkasink_lines[first] if first < len(kafkasink_lines) else b'(end)'!r}\n"
        f"--- Spark ---\n{expected.decode(errors='backslashreplace')}"
        f"--- kafkasink ---\n{kafkasink_text.decode(errors='backslashreplace')}")


def write_both(program, spark_write, kafkasink_write, topics, partitions):
    spark_topic = topics.create(f"{program}-spark", partitions)
    kafkasink_topic = topics.create(f"{program}-kafkasink", partitions)
    spark_write(spark_topic)
    kafkasink_write(kafkasink_topic)
    compare_records(program, (spark_topic, topics.read(spark_topic)),
                    (kafkasink_topic, topics.read(kafkasink_topic)))


# ---- the seed's programs --------------------------------------------------------------------

@pytest.mark.parametrize("program", cases("census", ["census-topic-option",
                                                     "census-topic-column"]))
def test_census(program, spark, kafkasink, topics, bootstrap):
    spark_program = getattr(programs, program.replace("-", "_"))
    write_both(program,
               lambda topic: spark_program(spark, bootstrap, topic, CENSUS),
               lambda topic: kafkasink.run(program, bootstrap, topic, CENSUS),
               topics, KEYED_PARTITIONS)


@pytest.fixture(scope="session")
def flights_folder(scratch):
    """A copy of data/flight-data whose files' modification times follow their names: both
    sources take files oldest first, and a checkout gives them all the same time."""
    folder = scratch / "flight-data"
    shutil.copytree(FLIGHTS, folder)
    for index, path in enumerate(sorted(folder.iterdir())):
        stamp = 1_600_000_000 + 10 * index
        os.utime(path, (stamp, stamp))
    return folder


@pytest.mark.parametrize("program", cases("flights", ["flights-stream",
                                                      "flights-stream-topic-column"]))
def test_flights_stream(program, spark, kafkasink, topics, bootstrap, flights_folder, scratch):
    spark_program = getattr(programs, program.replace("-", "_"))
    write_both(program,
               lambda topic: spark_program(spark, bootstrap, topic, flights_folder,
                                           scratch / f"{program}-checkpoint-spark"),
               lambda topic: kafkasink.run(program, bootstrap, topic, flights_folder,
                                           scratch / f"{program}-checkpoint-kafkasink"),
               topics, KEYED_PARTITIONS)


@pytest.mark.parametrize("program", cases("headers", ["headers-partition"]))
def test_headers_partition(program, spark, kafkasink, topics, bootstrap):
    write_both(program,
               lambda topic: programs.headers_partition(spark, bootstrap, topic),
               lambda topic: kafkasink.run(program, bootstrap, topic),
               topics, KEYED_PARTITIONS)


# ---- show() and printSchema() ---------------------------------------------------------------

INPUTS = {"census": ("csv", CENSUS), "flight-data": ("json", FLIGHTS)}
INPUTS.update({name: (form_of(name), CORPUS / name) for name in CORPUS_FILES})


@pytest.mark.parametrize("item", cases("show", list(INPUTS)))
def test_show(item, spark, kafkasink):
    form, path = INPUTS[item]
    compare_text(f"show {item}", programs.show_text(programs.read_file(spark, form, path)),
                 kafkasink.run("show", form, path))


@pytest.mark.parametrize("item", cases("show", ["headers-partition"]))
def test_show_headers(item, spark, kafkasink):
    compare_text(f"show {item}", programs.show_text(programs.headers_frame(spark)),
                 kafkasink.run("show-headers"))


@pytest.mark.parametrize("item", cases("schema", list(INPUTS)))
def test_print_schema(item, spark, kafkasink):
    form, path = INPUTS[item]
    compare_text(f"printSchema {item}",
                 programs.schema_text(programs.read_file(spark, form, path)),
                 kafkasink.run("schema", form, path))


# ---- the corpus of hard inputs --------------------------------------------------------------

@pytest.mark.parametrize("item", cases("corpus-write", CORPUS_FILES))
def test_corpus_write(item, spark, kafkasink, topics, bootstrap):
    path = CORPUS / item
    form = form_of(item)
    write_both(f"corpus-write {item}",
               lambda topic: programs.corpus_write(spark, form, path, bootstrap, topic),
               lambda topic: kafkasink.run("corpus-write", form, path, bootstrap, topic),
               topics, 1)


# ---- the sink's errors ----------------------------------------------------------------------

def kafkasink_error(output):
    """(class, message) from oracle_programs' `error` output, or None for `no error`."""
    text = output.decode("utf-8", "surrogateescape")
    first, _, rest = text.partition("\n")
    return None if first == "no error" else (first, rest.removesuffix("\n"))


# Spark's own exceptions and the kafkasink errors that stand for them. A failed job's root cause
# (a NullPointerException, a Kafka client's exception) has no counterpart: only its message is
# compared.
ERROR_CLASSES = {"AnalysisException": "AnalysisError",
                 "IllegalArgumentException": "IllegalArgumentError"}


def same_message(spark_message, kafkasink_message, appended):
    """Whether the messages agree: equal, or, with `appended` (a regular expression, for a
    deliberate difference), kafkasink's is Spark's followed by text that matches it in full."""
    if appended is None or spark_message is None or kafkasink_message is None:
        return spark_message == kafkasink_message
    return kafkasink_message.startswith(spark_message) and \
        re.fullmatch(appended, kafkasink_message[len(spark_message):]) is not None


def compare_errors(program, spark_outcome, kafkasink_outcome, appended=None):
    """Each outcome is None (no error) or (class, message)."""
    spark_message = None if spark_outcome is None else spark_outcome[1]
    kafkasink_message = None if kafkasink_outcome is None else kafkasink_outcome[1]
    expected_class = None if spark_outcome is None else ERROR_CLASSES.get(spark_outcome[0])
    wrong_class = expected_class is not None and kafkasink_outcome is not None \
        and kafkasink_outcome[0] != expected_class
    if not same_message(spark_message, kafkasink_message, appended) or wrong_class:
        raise AssertionError(
            f"{program}: the error differs\n"
            f"    Spark:     {spark_outcome[0] + ': ' if spark_outcome else ''}{spark_message!r}\n"
            f"    kafkasink: {kafkasink_outcome[0] + ': ' if kafkasink_outcome else ''}"
            f"{kafkasink_message!r}")


@pytest.fixture(scope="session")
def census_frame(spark):
    return programs.read_file(spark, "csv", CENSUS)


@pytest.fixture(scope="session")
def census_stream_folder(scratch):
    folder = scratch / "census-stream"
    folder.mkdir()
    shutil.copy(CENSUS, folder / CENSUS.name)
    return folder


ALL_ERROR_CASES = list(programs.ERROR_CASES) + list(programs.STREAM_ERROR_CASES)


@pytest.mark.parametrize("case", cases("error", ALL_ERROR_CASES))
def test_error(case, spark, kafkasink, topics, bootstrap, census_frame, census_stream_folder,
               scratch):
    spark_topic = topics.create(f"error-{case}-spark", 1)
    kafkasink_topic = topics.create(f"error-{case}-kafkasink", 1)
    if case in programs.ERROR_CASES:
        spark_outcome = programs.spark_error(
            lambda: programs.ERROR_CASES[case](census_frame, bootstrap, spark_topic))
    else:
        spark_outcome = programs.spark_error(
            lambda: programs.STREAM_ERROR_CASES[case](
                spark, census_frame, bootstrap, spark_topic, census_stream_folder,
                scratch / f"checkpoint-{case}-spark"))
    kafkasink_outcome = kafkasink_error(kafkasink.run(
        "error", case, bootstrap, kafkasink_topic, CENSUS, census_stream_folder,
        scratch / f"checkpoint-{case}-kafkasink"))
    deliberate = DELIBERATE.get(("error", case))
    compare_errors(f"error {case}", spark_outcome, kafkasink_outcome,
                   None if deliberate is None else deliberate[1])
    if spark_outcome is None:
        # A write both accept must also write the same records.
        compare_records(f"error {case}", (spark_topic, topics.read(spark_topic)),
                        (kafkasink_topic, topics.read(kafkasink_topic)))


def test_known_differences_name_tests():
    """An entry that names no test would mark nothing: a typo or a removed program."""
    stale = sorted((set(KNOWN_DIFFERENCES) | set(DELIBERATE)) - PARAMETERIZED)
    assert not stale, f"known_differences.py names no test: {stale}"
    both = sorted(set(KNOWN_DIFFERENCES) & set(DELIBERATE))
    assert not both, f"known_differences.py lists a test as known and as deliberate: {both}"
