// Doubles and floats as Java 17 writes and reads them.
//
// Spark 3.5 runs on the JVM, and every place it turns a double or a float into text ends in
// Java's Double.toString or Float.toString: to_json (Jackson's writeNumber), CAST(x AS STRING),
// show, a row's text. On Java 17 those are sun.misc.FloatingDecimal's digit generation, which the
// JDK replaced by a shortest-digits algorithm only in JDK 19. Its digits are usually the shortest
// ones, but not always: 1e23 prints as 9.999999999999999E22, 2e23 as 1.9999999999999998E23, the
// double with bits 438f67ea69ed3795 as 2.82879384806159008E17, Double.MIN_VALUE as 4.9E-324 and
// 3.0E10f as 3.0000001E10. The functions here reproduce Java 17's text byte for byte (the test
// compares them with the `java` on the machine over several hundred thousand bit patterns), so
// every place kafkasink prints a double or a float must call them.
//
// Reading goes the other way: Double.parseDouble and Float.parseFloat, whose grammar (hexadecimal
// significands, a trailing d/f type suffix, overflow to Infinity) is what Spark's CAST and its CSV
// reader accept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// Appends `value` as Java 17's Double.toString does: `1.0`, `0.001`, `1.0E7`, `-0.0`,
/// `9.999999999999999E22`, `4.9E-324`, `NaN`, `Infinity`, `-Infinity`.
void append_java_double(std::string& out, double value);
std::string java_double_to_string(double value);

/// Appends `value` as Java 17's Float.toString does: `1.0`, `0.1`, `3.0000001E10`, `1.4E-45`.
void append_java_float(std::string& out, float value);
std::string java_float_to_string(float value);

/// append_java_double without its fast path for magnitudes in [1e-7, 1e16), where Java's digits
/// are the shortest ones and std::to_chars computes them faster. For the test that checks the two
/// agree.
void append_java_double_generated(std::string& out, double value);

/// Java's Double.parseDouble: nullopt where Java throws NumberFormatException. Characters up to
/// ' ' are trimmed at both ends; then an optional sign and `NaN`, `Infinity`, decimal digits with
/// an optional point and exponent, or a hexadecimal significand with a binary exponent
/// (`0x1.8p1`), each number optionally followed by one of `dDfF`. Out of range is ±Infinity or
/// ±0.0. Nothing else: not `inf`, not `nan`, not `1,5`.
std::optional<double> parse_java_double(std::string_view text);

/// Java's Float.parseFloat: the grammar of parse_java_double, rounded once, to a float.
std::optional<float> parse_java_float(std::string_view text);

}  // namespace kafkasink::detail
