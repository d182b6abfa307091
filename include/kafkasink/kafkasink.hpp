// kafkasink: Apache Spark's Kafka sink for C++.
//
// One include for the whole public API: DataFrames read from CSV or JSON or built in code,
// the expressions of the Spark idiom (col, lit, cast, alias, struct_, to_json, select_expr),
// batch writes with `df.write().format("kafka")...save()`, streaming queries with
// `write_stream()...start()`, the cached producer pool, the direct Producer, and MockCluster
// for tests. Everything is in namespace `kafkasink`.
#pragma once

#include <kafkasink/column.hpp>
#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/logging.hpp>
#include <kafkasink/mock_cluster.hpp>
#include <kafkasink/producer.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/reader.hpp>
#include <kafkasink/row.hpp>
#include <kafkasink/session.hpp>
#include <kafkasink/streaming.hpp>
#include <kafkasink/types.hpp>
#include <kafkasink/version.hpp>
#include <kafkasink/writer.hpp>

/// \namespace kafkasink
/// Apache Spark's Kafka sink for C++: DataFrames, the expressions of the Spark idiom, batch and
/// streaming writes to Kafka, the cached producer pool, the direct Producer and MockCluster.
/// Names follow PySpark's with snake_case (`selectExpr` is `select_expr`, `struct` is
/// `struct_`); the `detail` namespace is the library's own and not part of the API.
