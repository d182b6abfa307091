"""The oracle's programs on PySpark 3.5: each does what the subcommand of the same name of
oracle_programs.cpp does with kafkasink. Keep the two in step."""

from pyspark.sql.functions import lit, struct, to_json
from pyspark.sql.types import (ArrayType, BinaryType, IntegerType, StringType, StructField,
                               StructType)


def read_file(spark, form, path):
    reader = spark.read.format(form)
    if form == "csv":
        reader = reader.option("header", "true").option("inferSchema", "true")
    return reader.load(str(path))


def with_json_value(frame):
    return frame.withColumn("value", to_json(struct([frame[c] for c in frame.columns])))


def census_topic_option(spark, bootstrap, topic, census):
    df = with_json_value(read_file(spark, "csv", census))
    df.selectExpr("CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)") \
        .write.format("kafka").option("kafka.bootstrap.servers", bootstrap) \
        .option("topic", topic).save()


def census_topic_column(spark, bootstrap, topic, census):
    df = with_json_value(read_file(spark, "csv", census))
    df.withColumn("topic", lit(topic)) \
        .selectExpr("topic", "CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)") \
        .write.format("kafka").option("kafka.bootstrap.servers", bootstrap).save()


def _flights(spark, folder):
    schema = spark.read.json(str(folder)).schema
    flights = spark.readStream.schema(schema).option("maxFilesPerTrigger", "1") \
        .json(str(folder))
    return flights.withColumn("value", to_json(struct([flights[c] for c in flights.columns])))


def flights_stream(spark, bootstrap, topic, folder, checkpoint):
    query = _flights(spark, folder) \
        .selectExpr("CAST(count AS STRING) AS key", "CAST(value AS STRING)") \
        .writeStream.format("kafka").option("kafka.bootstrap.servers", bootstrap) \
        .option("topic", topic).option("checkpointLocation", str(checkpoint)) \
        .trigger(availableNow=True).start()
    query.awaitTermination()


def flights_stream_topic_column(spark, bootstrap, topic, folder, checkpoint):
    query = _flights(spark, folder).withColumn("topic", lit(topic)) \
        .selectExpr("topic", "CAST(count AS STRING) AS key", "CAST(value AS STRING)") \
        .writeStream.format("kafka").option("kafka.bootstrap.servers", bootstrap) \
        .option("checkpointLocation", str(checkpoint)) \
        .trigger(availableNow=True).start()
    query.awaitTermination()


HEADER = StructType([StructField("key", StringType()), StructField("value", BinaryType())])
HEADERS_SCHEMA = StructType([
    StructField("key", StringType()),
    StructField("value", StringType()),
    StructField("partition", IntegerType()),
    StructField("headers", ArrayType(HEADER)),
])


def headers_frame(spark):
    """The rows of oracle_programs.cpp's headers_frame(), in one partition as there."""
    rows = []
    for i in range(30):
        partition = None if i % 5 == 0 else i % 3
        headers = {
            0: None,
            1: [],
            2: [("a", bytearray([i, 0, 0xFF])), ("b", None)],
            3: [("a", bytearray(b"x")), ("a", bytearray(b"y")), ("\u00fc", bytearray(b"\xc3"))],
        }[i % 4]
        rows.append((f"k{i}", f"v{i} \u20ac", partition, headers))
    return spark.createDataFrame(rows, HEADERS_SCHEMA).coalesce(1)


def headers_partition(spark, bootstrap, topic):
    headers_frame(spark).write.format("kafka").option("kafka.bootstrap.servers", bootstrap) \
        .option("topic", topic).save()


def corpus_write(spark, form, path, bootstrap, topic):
    df = with_json_value(read_file(spark, form, path))
    df.select(df["value"]).write.format("kafka").option("kafka.bootstrap.servers", bootstrap) \
        .option("topic", topic).save()


def show_text(frame):
    """What `frame.show()` prints (20 rows, cells cut at 20 characters)."""
    return frame._jdf.showString(20, 20, False)  # pylint: disable=protected-access


def schema_text(frame):
    """What `frame.printSchema()` prints."""
    return frame._jdf.schema().treeString()  # pylint: disable=protected-access


VALUE = "CAST(_c0 AS STRING) AS value"


def _writer(frame, bootstrap, *expressions):
    return frame.selectExpr(*expressions).write.format("kafka") \
        .option("kafka.bootstrap.servers", bootstrap)


def _stream(spark, census, folder):
    return spark.readStream.schema(census.schema).option("header", "true").csv(str(folder))


def _stream_no_checkpoint(spark, census, bootstrap, topic, folder, _checkpoint):
    _stream(spark, census, folder).selectExpr(VALUE).writeStream.format("kafka") \
        .option("kafka.bootstrap.servers", bootstrap).option("topic", topic).start().stop()


def _stream_no_topic(spark, census, bootstrap, _topic, folder, checkpoint):
    query = _stream(spark, census, folder).selectExpr(VALUE).writeStream.format("kafka") \
        .option("kafka.bootstrap.servers", bootstrap) \
        .option("checkpointLocation", str(checkpoint)).start()
    try:
        query.processAllAvailable()
    finally:
        query.stop()


# The error cases of oracle_programs.cpp's error_case(), by name: (census, bootstrap, topic)
# -> a write that breaks one rule of the sink. Streaming cases take (spark, census, bootstrap,
# topic, folder, checkpoint).
SERIALIZER = "org.apache.kafka.common.serialization.StringSerializer"
ERROR_CASES = {
    "no-topic": lambda c, b, t: _writer(c, b, VALUE).save(),
    "topic-int": lambda c, b, t: _writer(c, b, "_c0 AS topic", VALUE).save(),
    "null-topic": lambda c, b, t: _writer(c, b, "CAST(NULL AS STRING) AS topic", VALUE).save(),
    "no-value": lambda c, b, t: _writer(c, b, "CAST(_c0 AS STRING) AS key")
    .option("topic", t).save(),
    "value-int": lambda c, b, t: _writer(c, b, "_c0 AS value").option("topic", t).save(),
    "value-double": lambda c, b, t: _writer(c, b, "CAST(_c0 AS DOUBLE) AS value")
    .option("topic", t).save(),
    "key-int": lambda c, b, t: _writer(c, b, "_c0 AS key", VALUE).option("topic", t).save(),
    "partition-string": lambda c, b, t: _writer(c, b, VALUE, "CAST(_c0 AS STRING) AS partition")
    .option("topic", t).save(),
    "partition-long": lambda c, b, t: _writer(c, b, VALUE, "CAST(_c0 AS LONG) AS partition")
    .option("topic", t).save(),
    "headers-string": lambda c, b, t: _writer(c, b, VALUE, "CAST(_c0 AS STRING) AS headers")
    .option("topic", t).save(),
    "mode-overwrite": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .mode("overwrite").save(),
    "mode-ignore": lambda c, b, t: _writer(c, b, VALUE).option("topic", t).mode("ignore").save(),
    "mode-unknown": lambda c, b, t: _writer(c, b, VALUE).option("topic", t).mode("bogus").save(),
    "key-serializer": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .option("kafka.key.serializer", SERIALIZER).save(),
    "value-serializer": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .option("kafka.value.serializer", SERIALIZER).save(),
    "no-bootstrap": lambda c, b, t: c.selectExpr(VALUE).write.format("kafka")
    .option("topic", t).save(),
    "include-headers-unknown": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .option("includeHeaders", "maybe").save(),
    "negative-partition": lambda c, b, t: _writer(c, b, VALUE, "CAST('-1' AS INT) AS partition")
    .option("topic", t).save(),
    "unknown-setting": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .option("kafka.no.such.setting", "1").save(),
    "format-unknown": lambda c, b, t: c.selectExpr(VALUE).write.format("bogus")
    .option("kafka.bootstrap.servers", b).option("topic", t).save(),
    # What Spark accepts, kafkasink must accept too.
    "topic-int-with-option": lambda c, b, t: _writer(c, b, "_c0 AS topic", VALUE)
    .option("topic", t).save(),
    "mode-append": lambda c, b, t: _writer(c, b, VALUE).option("topic", t).mode("append").save(),
    "mode-errorifexists": lambda c, b, t: _writer(c, b, VALUE).option("topic", t)
    .mode("errorifexists").save(),
}
def _stream_value_int(spark, census, bootstrap, topic, folder, checkpoint):
    query = _stream(spark, census, folder).selectExpr("_c0 AS value").writeStream \
        .format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic) \
        .option("checkpointLocation", str(checkpoint)).start()
    try:
        query.processAllAvailable()
    finally:
        query.stop()


def _stream_min_batches_zero(spark, census, bootstrap, topic, folder, checkpoint):
    query = _stream(spark, census, folder).selectExpr(VALUE).writeStream.format("kafka") \
        .option("kafka.bootstrap.servers", bootstrap).option("topic", topic) \
        .option("checkpointLocation", str(checkpoint)).option("minBatchesToRetain", "0") \
        .start()
    try:
        query.processAllAvailable()
    finally:
        query.stop()


STREAM_ERROR_CASES = {
    "stream-min-batches-zero": _stream_min_batches_zero,
    "stream-no-checkpoint": _stream_no_checkpoint,
    "stream-no-topic": _stream_no_topic,
    "stream-value-int": _stream_value_int,
}


def spark_error(action):
    """Runs `action`; returns (class name, message) of what Spark raised, or None.

    Spark's own exceptions (AnalysisException, IllegalArgumentException, and others that reach
    Python as a Py4JJavaError) give their message; a failed job (a SparkException) gives the
    message of the exception at the root of its causes, the one the sink's task threw; a failed
    streaming query gives its cause's message."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import StreamingQueryException
    from pyspark.errors.exceptions.captured import CapturedException

    try:
        action()
    except Py4JJavaError as error:
        throwable = error.java_exception
        if throwable.getClass().getName() == "org.apache.spark.SparkException":
            return _root_cause(throwable)
        return throwable.getClass().getName(), throwable.getMessage()
    except StreamingQueryException as error:
        return _root_cause(error._origin) if getattr(error, "_origin", None) is not None \
            else (type(error).__name__, str(error))
    except CapturedException as error:
        return type(error).__name__, str(error)
    return None


def _root_cause(throwable):
    while throwable.getCause() is not None:
        throwable = throwable.getCause()
    return throwable.getClass().getName(), throwable.getMessage()
