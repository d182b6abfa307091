#!/usr/bin/env bash
# The project's one entry point for set-up, build, tests and the demo.
#
#   ./dev.sh deps    install the Debian packages the build, tests and tools need
#   ./dev.sh build   configure and build the default preset (RelWithDebInfo)
#   ./dev.sh test    deps + the default, ASan+UBSan and TSan workflows (build + ctest), then
#                    10 s of each fuzzer
#   ./dev.sh demo    deps + build + run examples/census_to_kafka on an embedded broker
#   ./dev.sh bench   deps + build + run every benchmark
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
  kcat python3-confluent-kafka python3-kafka
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "dev.sh: every package is installed"
    return
  fi
  echo "dev.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
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
    for program in build/default/bench/*_benchmark; do "$program" "${@:2}"; done
    ;;
  lint) git ls-files '*.hpp' '*.cpp' | xargs clang-format --dry-run --Werror ;;
  tidy)
    cmake --preset debug >/dev/null
    run-clang-tidy -quiet -p build/debug '(src|include)/'
    ;;
  docs) deps && doxygen docs/Doxyfile ;;
  fuzz) deps && fuzz "${@:2}" ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
