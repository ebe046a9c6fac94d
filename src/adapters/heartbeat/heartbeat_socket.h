// HeartbeatSocket: one UDP socket that both sends this node's heartbeats and receives its
// peers'. A dumb pipe: it encodes and decodes with core/liveness/heartbeat_codec.h and leaves
// every decision (who is alive) to core/liveness/liveness_tracker.h.
//
// Not thread-safe; one owner drives SendTo and Receive (the agent's failover loop). The socket
// belongs to the network namespace it was created in, whichever thread uses it later.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/unique_fd.h"
#include "core/liveness/heartbeat_codec.h"
#include "model/net.h"

namespace egret::heartbeat {

struct Endpoint {
  model::IpAddress address;
  uint16_t port = 0;

  std::string ToString() const;  // "10.0.0.1:7946", "[fd00::1]:7946"
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// What this node puts in every beat.
struct SenderIdentity {
  std::string node;      // must satisfy liveness::ValidateHeartbeat (≤ 44 bytes, DNS chars)
  uint64_t boot_id = 0;  // non-zero, new on every agent start: see NewBootId
};

struct ReceivedBeat {
  liveness::Heartbeat beat;
  Endpoint source;  // IPv4-mapped IPv6 sources are reported as IPv4
};

// A random non-zero boot id from the kernel's random source.
StatusOr<uint64_t> NewBootId();

class HeartbeatSocket {
 public:
  // Binds a UDP socket to `local`. An IPv6 address ("::" included) gives a dual-stack socket
  // that also talks to IPv4 peers; an IPv4 address gives an IPv4-only socket. Port 0 picks a
  // free port (see local()). Invalid when `self` cannot be encoded; the errno as a Status when
  // the socket cannot be bound (e.g. the address is not on this namespace's interfaces).
  static StatusOr<HeartbeatSocket> Bind(const Endpoint& local, SenderIdentity self);

  // Sends one beat, with the next sequence number, to every peer (the same beat to all). Tries
  // every peer even when one fails and returns the first failure, naming the peer; a peer of
  // the other family on an IPv4-only socket is Invalid. Sends never block: a full socket buffer
  // drops the beat for that peer (a lost beat is what the tracker is built to tolerate).
  Status SendTo(std::span<const Endpoint> peers);

  // Waits up to `timeout` for the first datagram, then takes every datagram already queued
  // without waiting more (at most a few thousand per call). Returns the decoded beats in arrival
  // order (empty on timeout). Malformed or oversized datagrams are dropped and counted in
  // malformed_count().
  StatusOr<std::vector<ReceivedBeat>> Receive(std::chrono::milliseconds timeout);

  uint64_t malformed_count() const { return malformed_; }
  uint64_t sent_sequence() const { return sequence_; }  // the last sequence sent, 0 before any
  const Endpoint& local() const { return local_; }      // with the port actually bound
  int fd() const { return fd_.get(); }                  // for an event loop's poll set

 private:
  HeartbeatSocket(UniqueFd fd, bool v6, Endpoint local, SenderIdentity self)
      : fd_(std::move(fd)), v6_(v6), local_(local), self_(std::move(self)) {}
  // Reads one queued datagram; false when none is left.
  StatusOr<bool> ReadOne(std::vector<ReceivedBeat>* out);

  UniqueFd fd_;
  bool v6_ = false;
  Endpoint local_;
  SenderIdentity self_;
  uint64_t sequence_ = 0;
  uint64_t malformed_ = 0;
};

}  // namespace egret::heartbeat
