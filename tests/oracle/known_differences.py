"""Where kafkasink is known to differ from Spark 3.5 today, and where it adds to Spark's text on
purpose.

Each entry: (program, item) -> (item of issue 10, the difference in one line). The test of an
entry runs as a strict xfail: it must still fail, and once the difference is fixed it fails
until the entry is removed here. Programs: census, flights, headers, show, schema,
corpus-write, error; items are the tests' ids (a corpus file, an error case, ...). An issue
item of None marks a difference the oracle found that issue 10 does not list yet.

DELIBERATE: (program, item) -> (why, a regular expression for what kafkasink appends to Spark's
message). Those tests pass only when kafkasink's message is Spark's, verbatim, followed by text
that matches the expression in full: where Spark's task fails with the Java client's exception,
kafkasink fails before sending and names the row (issue 10 item 11).
"""

TIMESTAMPS = "timestamp and date inference; to_json writes 2020-01-01T00:00:00.000Z"

KNOWN_DIFFERENCES = {
    # the sink's errors
    ("error", "no-bootstrap"): (11, "kept by design: Spark only fails with 'key not found: "
                                    "bootstrap.servers'"),
    ("error", "unknown-setting"): (None, "by design (README, Options): Java's client only "
                                         "warns of an unknown setting; kafkasink rejects it"),
}

# What kafkasink appends to name a row read from a file: " (in FILE at line N)".
ROW_NAMED = r" \(in .+ at line [1-9][0-9]*\)"

DELIBERATE = {
    ("error", "negative-partition"): (
        "Spark's task fails with Kafka's ProducerRecord IllegalArgumentException; kafkasink "
        "refuses the row before sending and names its file and line", ROW_NAMED),
}
