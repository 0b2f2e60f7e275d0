#!/usr/bin/env python3
"""The lab's traffic: a paced sender, a sink, and a one-shot ARP probe (stdlib only).

Every mode has its own deadline as well as the `timeout` that lab.sh wraps it in, and
prints one key=value line that lab.sh and NamespaceLab.swift parse.
"""
import argparse
import signal
import socket
import struct
import sys
import time

PAYLOAD = 100  # bytes per datagram or write, as in the offline lab traffic (LabTraffic.swift)
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)


def send(args):
    payload = bytes(PAYLOAD)
    kind = socket.SOCK_DGRAM if args.proto == "udp" else socket.SOCK_STREAM
    sock = socket.socket(socket.AF_INET, kind)
    sock.settimeout(5)
    # Binding sets only the source address; the kernel still picks the interface (weak host).
    # With --source-port every datagram of the run has that port: one flow (team-lab.sh's send).
    sock.bind((args.source, args.source_port))
    destination = (args.target, args.port)
    if args.proto == "tcp":
        # One segment per write: no Nagle; pacing below keeps the window from merging writes.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect(destination)
    start = time.monotonic()
    for sequence in range(args.count):
        # Paced against a schedule, so sleep overshoot does not add up.
        delay = start + sequence / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if args.new_flow_each:
            # A socket per datagram: a new source port, so every packet is a flow of its own.
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as single:
                single.bind((args.source, 0))
                single.sendto(payload, destination)
        elif args.proto == "udp":
            sock.sendto(payload, destination)
        else:
            sock.sendall(payload)
    if args.proto == "tcp":
        # Wait for the sink to close: then every byte has arrived.
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(4096):
            pass
    sock.close()
    print(
        f"sent scenario={args.scenario} proto={args.proto} source={args.source} target={args.target} "
        f"port={args.port} packets={args.count} bytes={args.count * PAYLOAD} "
        f"seconds={time.monotonic() - start:.3f}",
        flush=True,
    )


class Stop(Exception):
    pass


def sink(args):
    def stop(*_):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    kind = socket.SOCK_DGRAM if args.proto == "udp" else socket.SOCK_STREAM
    sock = socket.socket(socket.AF_INET, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", args.port))
    packets = 0
    total = 0
    arrivals = {}
    if args.proto == "udp":
        # IP_PKTINFO tells which interface each datagram arrived on.
        sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    else:
        sock.listen(1)
    print("ready", flush=True)
    try:
        if args.proto == "udp":
            while packets < args.expect:
                data, ancillary, _, _ = sock.recvmsg(65535, socket.CMSG_SPACE(12))
                packets += 1
                total += len(data)
                for level, kind, value in ancillary:
                    if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                        name = socket.if_indextoname(struct.unpack("i", value[:4])[0])
                        arrivals[name] = arrivals.get(name, 0) + 1
        else:
            connection, _ = sock.accept()
            packets = 1
            while True:
                data = connection.recv(65536)
                if not data:
                    break
                total += len(data)
            connection.close()
    except Stop:
        pass
    fields = " ".join(f"in_{name}={count}" for name, count in sorted(arrivals.items()))
    if args.proto == "udp":
        print(f"received proto=udp packets={packets} bytes={total} {fields}".rstrip(), flush=True)
    else:
        print(f"received proto=tcp connections={packets} bytes={total}", flush=True)


def arp(args):
    """Asks once who has TARGET, like arping, and prints every answer: flux shows as two."""
    with open(f"/sys/class/net/{args.interface}/address") as file:
        own = bytes.fromhex(file.read().strip().replace(":", ""))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    sock.bind((args.interface, 0x0806))
    # RFC 826: Ethernet, IPv4, request; padded to the 60-byte Ethernet minimum.
    request = (
        b"\xff" * 6 + own + b"\x08\x06"
        + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
        + own + socket.inet_aton(args.source) + bytes(6) + socket.inet_aton(args.target)
    ).ljust(60, b"\x00")
    sock.send(request)
    deadline = time.monotonic() + args.wait
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            frame = sock.recv(2048)
        except socket.timeout:
            break
        if len(frame) < 42 or frame[12:14] != b"\x08\x06":
            continue
        operation = struct.unpack("!H", frame[20:22])[0]
        sender_mac, sender_ip = frame[22:28], socket.inet_ntoa(frame[28:32])
        if operation == 2 and sender_ip == args.target:
            print(f"reply ip={sender_ip} mac={sender_mac.hex(':')}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    modes = parser.add_subparsers(dest="mode", required=True)
    sender = modes.add_parser("send")
    sender.add_argument("--proto", choices=["udp", "tcp"], required=True)
    sender.add_argument("--source", required=True)
    sender.add_argument("--target", required=True)
    sender.add_argument("--port", type=int, required=True)
    sender.add_argument("--count", type=int, required=True)
    sender.add_argument("--rate", type=float, default=2000, help="packets per second")
    sender.add_argument("--scenario", default="-")
    sender.add_argument("--new-flow-each", action="store_true", help="udp: every packet from a new source port")
    sender.add_argument(
        "--source-port", type=int, default=0, help="the port to send from; 0 (default): the kernel picks one"
    )
    receiver = modes.add_parser("sink")
    receiver.add_argument("--proto", choices=["udp", "tcp"], required=True)
    receiver.add_argument("--port", type=int, required=True)
    receiver.add_argument("--expect", type=int, required=True, help="UDP: stop after this many datagrams")
    prober = modes.add_parser("arp")
    prober.add_argument("--interface", required=True)
    prober.add_argument("--source", required=True)
    prober.add_argument("--target", required=True)
    prober.add_argument("--wait", type=float, default=0.3, help="seconds to collect replies")
    args = parser.parse_args()
    {"send": send, "sink": sink, "arp": arp}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
