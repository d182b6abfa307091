"""Where kafkasink is known to differ from Spark 3.5 today.

Each entry: (program, item) -> (item of issue 10, the difference in one line). The test of an
entry runs as a strict xfail: it must still fail, and once the difference is fixed it fails
until the entry is removed here. Programs: census, flights, headers, show, schema,
corpus-write, error; items are the tests' ids (a corpus file, an error case, ...). An issue
item of None marks a difference the oracle found that issue 10 does not list yet.
"""

TIMESTAMPS = "timestamp and date inference; to_json writes 2020-01-01T00:00:00.000Z"
CSV_ESCAPE = ("new: Spark's CSV escape is a backslash, so \"\" inside quotes is not a quote "
              "(\"{\"\"a\"\":1,...}\" splits at the comma)")
FILE_ORDER = ("new: a batch read of a folder takes the files largest first (Spark packs file "
              "partitions by size), kafkasink by name")

KNOWN_DIFFERENCES = {
    # show()
    ("show", "flight-data"): (None, FILE_ORDER),
    ("show", "nested.csv"): (None, CSV_ESCAPE),
    # the records of the corpus
    ("corpus-write", "nested.csv"): (None, CSV_ESCAPE),
    # the sink's errors
    ("error", "null-topic"): (11, "Spark 3.5: 'null topic present in the data. Use the topic "
                                  "option for setting a default topic.'"),
    ("error", "negative-partition"): (11, "Spark's text, without kafkasink's '(row 0 of "
                                          "partition 0)' (3.5 has its own message here)"),
    ("error", "no-bootstrap"): (11, "kept by design: Spark only fails with 'key not found: "
                                    "bootstrap.servers'"),
    ("error", "stream-no-checkpoint"): (11, "Spark's message ends with '.' (an "
                                            "AnalysisException there)"),
    ("error", "include-headers-unknown"): (None, "new: Spark's sink never reads "
                                                 "includeHeaders; kafkasink rejects 'maybe'"),
    ("error", "format-unknown"): (11, "Spark 3.5: '[DATA_SOURCE_NOT_FOUND] Failed to find the "
                                      "data source: bogus. Please find packages at ...'"),
    ("error", "stream-min-batches-zero"): (None, "new: Spark takes minBatchesToRetain from the "
                                                 "session conf, not the query's options; "
                                                 "kafkasink rejects 0"),
    ("error", "unknown-setting"): (None, "by design (README, Options): Java's client only "
                                         "warns of an unknown setting; kafkasink rejects it"),
}
