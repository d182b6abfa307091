#!/usr/bin/env bash
# The project's one entry point for set-up, build, tests and the demo.
#
#   ./dev.sh deps    install the Debian packages; fetch Kafka, PySpark and Spark's connector into .deps/
#   ./dev.sh build   configure and build the default preset (RelWithDebInfo)
#   ./dev.sh test    deps + the gates (lint, docs) + the default, ASan+UBSan and TSan
#                    workflows (build + ctest), then 10 s of each fuzzer
#   ./dev.sh demo    deps + build + run examples/census_to_kafka on an embedded broker
#   ./dev.sh bench [flags]  deps + build + every Google Benchmark (given the flags), then the
#                    side-by-side benchmark (bench/side_by_side.py: Spark, Java, kafkasink, kcat
#                    and confluent-kafka on a real broker and the mock; build/bench/side_by_side.md)
#   ./dev.sh bench side-by-side [flags]  only the side-by-side benchmark (e.g. --rows 2000)
#   ./dev.sh lint    clang-format check of every C++ file
#   ./dev.sh tidy    clang-tidy over src/ and include/
#   ./dev.sh fuzz [seconds]  build the fuzz preset, run each fuzzer (default 60 s)
#   ./dev.sh docs    the API reference with Doxygen (docs/html)
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  build-essential cmake ninja-build pkg-config git
  librdkafka-dev nlohmann-json3-dev libfmt-dev libcsv-dev libsimdjson-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy clang libclang-rt-14-dev
  doxygen
  kcat python3-confluent-kafka python3-kafka time
  openjdk-17-jdk-headless maven python3-venv
)

# Test-only tools from Maven Central and PyPI, pinned, fetched into .deps/ (git-ignored) once:
# the Kafka broker for the real-kafka tier, PySpark and Spark's Kafka connector for the oracle.
kafka_version=4.1.2
spark_version=3.5.7

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
  debian_packages
  fetch_test_tools
}

debian_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  # Region time zones in timestamp text (Europe/Paris) are read from the system's tz database.
  [ -d /usr/share/zoneinfo ] || missing+=(tzdata)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "dev.sh: every package is installed"
    return
  fi
  echo "dev.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

# Fails with one line naming what could not be had.
fetch_test_tools() {
  mkdir -p .deps
  local tool
  for tool in java mvn python3; do
    command -v "$tool" >/dev/null || { echo "dev.sh: $tool is missing (install it)" >&2; exit 1; }
  done
  if [ ! -f ".deps/kafka/lib/kafka_2.13-$kafka_version.jar" ]; then
    echo "dev.sh: fetching Apache Kafka $kafka_version (Maven Central)"
    rm -rf .deps/kafka
    maven_copy tests/deps/kafka-broker.pom.xml .deps/kafka/lib "Apache Kafka $kafka_version" \
      -Dkafka.version="$kafka_version"
  fi
  if [ ! -f ".deps/spark/jars/spark-sql-kafka-0-10_2.12-$spark_version.jar" ]; then
    echo "dev.sh: fetching Spark $spark_version's Kafka connector (Maven Central)"
    rm -rf .deps/spark
    maven_copy tests/deps/spark-kafka-connector.pom.xml .deps/spark/jars \
      "Spark's Kafka connector $spark_version" -Dspark.version="$spark_version" \
      -DincludeArtifactIds=spark-sql-kafka-0-10_2.12,spark-token-provider-kafka-0-10_2.12,kafka-clients,commons-pool2
  fi
  local venv=.deps/spark-venv
  if ! cmp -s tests/deps/requirements.txt "$venv/requirements.txt"; then
    echo "dev.sh: installing PySpark $spark_version and the Python test tools (PyPI)"
    rm -rf "$venv"
    python3 -m venv "$venv" >/dev/null ||
      { echo "dev.sh: python3 -m venv failed (is python3-venv installed?)" >&2; exit 1; }
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/deps/requirements.txt ||
      { echo "dev.sh: pip could not install tests/deps/requirements.txt from PyPI" >&2; exit 1; }
    cp tests/deps/requirements.txt "$venv/requirements.txt"
  fi
  # The 3.5 wheels are built for Scala 2.12, the connector's Scala version.
  compgen -G "$venv/lib/python3*/site-packages/pyspark/jars/spark-core_2.12-$spark_version.jar" \
    >/dev/null || { echo "dev.sh: PySpark in $venv is not Spark $spark_version for Scala 2.12" >&2; exit 1; }
}

# maven_copy POM DESTINATION WHAT [MAVEN-FLAGS...]: the POM's runtime dependencies into DESTINATION.
maven_copy() {
  local pom=$1 destination=$2 what=$3
  shift 3
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$PWD/$destination" "$@" >".deps/maven.log" 2>&1 ||
    { echo "dev.sh: Maven could not fetch $what (see .deps/maven.log)" >&2; exit 1; }
}

build() {
  cmake --preset default >/dev/null
  cmake --build --preset default
}

# Runs every libFuzzer target for $1 seconds (default 60), seeded from fuzz/corpus/<target>;
# inputs it finds go to build/fuzz/corpus/<target> (the committed seeds stay as they are), a
# crashing input to build/fuzz/crashes/, and a crash fails the command.
fuzz() {
  local seconds=${1:-60}
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  mkdir -p build/fuzz/crashes
  for program in build/fuzz/fuzz/*_fuzzer; do
    local name
    name=$(basename "$program")
    mkdir -p "build/fuzz/corpus/$name"
    echo "dev.sh: == $name, $seconds s =="
    UBSAN_OPTIONS=print_stacktrace=1 \
      "$program" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix=build/fuzz/crashes/ "build/fuzz/corpus/$name" "fuzz/corpus/$name"
  done
}

# The gates: every C++ file as clang-format writes it, and the API reference built with every
# Doxygen warning an error (docs/Doxyfile).
lint() {
  echo "dev.sh: == clang-format check =="
  git ls-files '*.hpp' '*.cpp' | xargs clang-format --dry-run --Werror
}

docs() {
  echo "dev.sh: == doxygen =="
  doxygen docs/Doxyfile
}

workflow() {
  local preset=$1
  echo "dev.sh: == $preset =="
  cmake --workflow --preset "$preset"
}

case "${1:-}" in
  deps) deps ;;
  build) deps && build ;;
  test)
    deps
    lint
    docs
    workflow default
    workflow asan
    workflow tsan
    fuzz 10
    ;;
  demo)
    deps && build
    ./build/default/examples/census_to_kafka "${@:2}"
    ;;
  bench)
    deps && build
    if [ "${2:-}" = side-by-side ]; then
      .deps/spark-venv/bin/python bench/side_by_side.py "${@:3}"
    else
      for program in build/default/bench/*_benchmark; do "$program" "${@:2}"; done
      .deps/spark-venv/bin/python bench/side_by_side.py
    fi
    ;;
  lint) lint ;;
  tidy)
    cmake --preset debug >/dev/null
    run-clang-tidy -quiet -p build/debug '(src|include)/'
    ;;
  docs) deps && docs ;;
  fuzz) deps && fuzz "${@:2}" ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
