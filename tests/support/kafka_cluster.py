#!/usr/bin/env python3
"""A real Apache Kafka cluster (KRaft) on loopback for the test suite.

The mock cluster cannot show what a real broker refuses (illegal topic names, topics that do
not exist, transactions), so the `real-kafka` tier runs Kafka itself from the jars that
`./dev.sh deps` copies into .deps/kafka/lib. Each node is a combined broker and controller in
its own folder under DIR; DIR/cluster.json records what a test needs to reach and hurt it:

    kafka_cluster.py start DIR [--nodes N]      format and start N nodes; returns when every
                                                node answers a metadata request
    kafka_cluster.py stop DIR                   SIGTERM every node, SIGKILL after 20 s
    kafka_cluster.py signal DIR NODE SIGNAL     send KILL, STOP, CONT or TERM to node NODE
    kafka_cluster.py restart DIR NODE           start node NODE again (after a KILL)
    kafka_cluster.py bootstrap DIR              print the PLAINTEXT bootstrap servers

Every node also listens with SASL_PLAINTEXT (mechanism PLAIN; users in SASL_USERS) so that
authentication failures can be tested. Only 127.0.0.1 is used. The processes outlive this
script (a ctest fixture starts the cluster, the tests use it, another fixture stops it).
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_LIB = SOURCE_DIR / ".deps" / "kafka" / "lib"
SASL_USERS = {"admin": "admin-secret", "alice": "alice-secret"}
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fail(message):
    print(f"kafka_cluster: {message}", file=sys.stderr)
    sys.exit(1)


def kafka_lib():
    lib = Path(os.environ.get("KAFKASINK_KAFKA_LIB", DEFAULT_LIB))
    if not any(lib.glob("kafka_2.13-*.jar")):
        fail(f"no Kafka broker jars in {lib}: run ./dev.sh deps")
    return lib


def java():
    path = shutil.which("java")
    if path is None:
        fail("java is not installed: run ./dev.sh deps")
    return path


def node_properties(cluster, node):
    nodes = cluster["nodes"]
    count = len(nodes)
    voters = ",".join(f"{n['id']}@127.0.0.1:{n['controller_port']}" for n in nodes)
    jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required " + " ".join(
        [f'username="admin" password="{SASL_USERS["admin"]}"']
        + [f'user_{user}="{password}"' for user, password in SASL_USERS.items()]) + ";"
    replication = min(count, 3)
    lines = {
        "process.roles": "broker,controller",
        "node.id": node["id"],
        "controller.quorum.voters": voters,
        "listeners": f"PLAINTEXT://127.0.0.1:{node['port']},"
                     f"SASL_PLAINTEXT://127.0.0.1:{node['sasl_port']},"
                     f"CONTROLLER://127.0.0.1:{node['controller_port']}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node['port']},"
                                f"SASL_PLAINTEXT://127.0.0.1:{node['sasl_port']}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map":
            "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms": "PLAIN",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config": jaas,
        "log.dirs": str(Path(node["dir"]) / "data"),
        "num.partitions": 1,
        "default.replication.factor": replication,
        "min.insync.replicas": 2 if count >= 3 else 1,
        "offsets.topic.replication.factor": replication,
        "offsets.topic.num.partitions": 4,
        "transaction.state.log.replication.factor": replication,
        "transaction.state.log.min.isr": 2 if count >= 3 else 1,
        "transaction.state.log.num.partitions": 4,
        "group.initial.rebalance.delay.ms": 0,
        "auto.create.topics.enable": "false",
        # The suite writes a few hundred MB at most; keep segments small so disk use stays low.
        "log.segment.bytes": 64 * 1024 * 1024,
        "log.retention.check.interval.ms": 60_000,
        "share.coordinator.state.topic.replication.factor": replication,
        "share.coordinator.state.topic.min.isr": 2 if count >= 3 else 1,
    }
    return "".join(f"{key}={value}\n" for key, value in lines.items())


LOG4J2 = """status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka.request.logger
logger.kafka.level = WARN
"""


def write_node_files(cluster, node):
    folder = Path(node["dir"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "server.properties").write_text(node_properties(cluster, node))
    (folder / "log4j2.properties").write_text(LOG4J2.format(log=folder / "server.log"))


def format_node(cluster, node):
    folder = Path(node["dir"])
    result = subprocess.run(
        [java(), "-cp", f"{cluster['lib']}/*",
         f"-Dlog4j2.configurationFile={folder / 'log4j2.properties'}",
         "kafka.tools.StorageTool", "format", "--cluster-id", cluster["cluster_id"],
         "--config", str(folder / "server.properties")],
        capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        fail(f"formatting node {node['id']} failed:\n{result.stdout}{result.stderr}")


def launch_node(cluster, node):
    folder = Path(node["dir"])
    heap = cluster["heap"]
    with open(folder / "stdout.log", "ab") as output:
        process = subprocess.Popen(
            [java(), f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC",
             "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
             f"-Dlog4j2.configurationFile={folder / 'log4j2.properties'}",
             "-cp", f"{cluster['lib']}/*", "kafka.Kafka", str(folder / "server.properties")],
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
    node["pid"] = process.pid


def log_tail(node, lines=40):
    text = ""
    for name in ("server.log", "stdout.log"):
        path = Path(node["dir"]) / name
        if path.exists():
            text += f"--- {path} (last {lines} lines) ---\n"
            text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
    return text


def metadata_brokers(port, timeout=2.0):
    """Broker ids in a Metadata v1 answer from 127.0.0.1:port, or None if it does not answer."""
    client = b"kafka_cluster.py"
    # Metadata v1, null topic array (-1): every topic; the answer lists the registered brokers.
    body = struct.pack(">hhih", 3, 1, 1, len(client)) + client + struct.pack(">i", -1)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(struct.pack(">i", len(body)) + body)
            size = struct.unpack(">i", receive(connection, 4))[0]
            answer = receive(connection, size)
    except (OSError, struct.error):
        return None
    count = struct.unpack_from(">i", answer, 4)[0]
    at, ids = 8, []
    for _ in range(count):
        broker_id = struct.unpack_from(">i", answer, at)[0]
        host_size = struct.unpack_from(">h", answer, at + 4)[0]
        at += 4 + 2 + host_size + 4
        rack_size = struct.unpack_from(">h", answer, at)[0]
        at += 2 + max(rack_size, 0)
        ids.append(broker_id)
    return ids


def receive(connection, size):
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise OSError("connection closed")
        data += chunk
    return data


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie child of this process counts as dead.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_ready(cluster, nodes):
    deadline = time.monotonic() + START_TIMEOUT_S
    expected = {n["id"] for n in cluster["nodes"]}
    while time.monotonic() < deadline:
        for node in nodes:
            if not alive(node["pid"]):
                fail(f"node {node['id']} exited while starting\n{log_tail(node)}")
        ready = all(set(metadata_brokers(n["port"]) or []) >= expected for n in nodes)
        if ready:
            return
        time.sleep(0.25)
    fail(f"the cluster did not answer within {START_TIMEOUT_S} s\n" +
         "".join(log_tail(n) for n in nodes))


def load(directory):
    path = Path(directory) / "cluster.json"
    if not path.exists():
        fail(f"no cluster in {directory} (start one first)")
    return json.loads(path.read_text())


def save(directory, cluster):
    path = Path(directory) / "cluster.json"
    path.write_text(json.dumps(cluster, indent=2) + "\n")


def new_cluster_id():
    """A random Kafka Uuid in its base64 form. Like Kafka's Uuid.randomUuid, never one that
    starts with '-': StorageTool's argument parser takes `--cluster-id -xyz...` for an option
    and formats with an empty id (1 start in 64 failed so)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def start(arguments):
    directory = Path(arguments.directory).resolve()
    if (directory / "cluster.json").exists():
        stop_cluster(load(directory))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    cluster_id = new_cluster_id()
    nodes = [{"id": i, "port": free_port(), "sasl_port": free_port(),
              "controller_port": free_port(), "dir": str(directory / f"node{i}"), "pid": None}
             for i in range(1, arguments.nodes + 1)]
    cluster = {"cluster_id": cluster_id, "lib": str(kafka_lib()), "nodes": nodes,
               "heap": arguments.heap,
               "bootstrap": ",".join(f"127.0.0.1:{n['port']}" for n in nodes),
               "sasl_bootstrap": ",".join(f"127.0.0.1:{n['sasl_port']}" for n in nodes),
               "sasl_users": SASL_USERS}
    for node in nodes:
        write_node_files(cluster, node)
        format_node(cluster, node)
    for node in nodes:
        launch_node(cluster, node)
    save(directory, cluster)
    wait_ready(cluster, nodes)
    print(f"kafka_cluster: {len(nodes)} node(s) ready at {cluster['bootstrap']}")


def stop_cluster(cluster):
    pids = [n["pid"] for n in cluster["nodes"] if n.get("pid") and alive(n["pid"])]
    for pid in pids:
        for sig in (signal.SIGCONT, signal.SIGTERM):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def stop(arguments):
    directory = Path(arguments.directory)
    if not (directory / "cluster.json").exists():
        return
    stop_cluster(load(directory))
    if not arguments.keep:
        for node in load(directory)["nodes"]:
            shutil.rmtree(Path(node["dir"]) / "data", ignore_errors=True)


def node_of(cluster, node_id):
    for node in cluster["nodes"]:
        if node["id"] == node_id:
            return node
    fail(f"no node {node_id}")
    return None


def send_signal(arguments):
    cluster = load(arguments.directory)
    node = node_of(cluster, arguments.node)
    os.kill(node["pid"], getattr(signal, "SIG" + arguments.signal.upper()))


def restart(arguments):
    cluster = load(arguments.directory)
    node = node_of(cluster, arguments.node)
    if node["pid"] and alive(node["pid"]):
        fail(f"node {node['id']} is still running")
    launch_node(cluster, node)
    save(arguments.directory, cluster)
    wait_ready(cluster, [node])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start")
    start_parser.add_argument("directory")
    start_parser.add_argument("--nodes", type=int, default=1)
    start_parser.add_argument("--heap", default="512m")
    stop_parser = commands.add_parser("stop")
    stop_parser.add_argument("directory")
    stop_parser.add_argument("--keep", action="store_true", help="keep the nodes' data")
    signal_parser = commands.add_parser("signal")
    signal_parser.add_argument("directory")
    signal_parser.add_argument("node", type=int)
    signal_parser.add_argument("signal", choices=["KILL", "STOP", "CONT", "TERM"])
    restart_parser = commands.add_parser("restart")
    restart_parser.add_argument("directory")
    restart_parser.add_argument("node", type=int)
    bootstrap_parser = commands.add_parser("bootstrap")
    bootstrap_parser.add_argument("directory")
    arguments = parser.parse_args()
    if arguments.command == "start":
        start(arguments)
    elif arguments.command == "stop":
        stop(arguments)
    elif arguments.command == "signal":
        send_signal(arguments)
    elif arguments.command == "restart":
        restart(arguments)
    else:
        print(load(arguments.directory)["bootstrap"])


if __name__ == "__main__":
    main()
