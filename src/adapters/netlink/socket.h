// A NETLINK_ROUTE socket: sends requests built by the codec and collects the kernel's replies.
// It knows nothing of links or routes; it numbers requests, waits for the ack (or the end of a
// dump), turns kernel errors into Status (with the extended-ack text) and repeats interrupted
// dumps.
//
// Not thread-safe: one socket per thread, or a mutex around it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "adapters/netlink/message.h"
#include "adapters/netns/netns.h"
#include "common/status.h"
#include "common/unique_fd.h"

namespace egret::netlink {

class NetlinkSocket {
 public:
  // How often a dump is read again while the kernel reports it inconsistent (NLM_F_DUMP_INTR,
  // i.e. the table changed during the dump). Each repetition is a fresh, complete dump.
  static constexpr int kMaxDumpAttempts = 10;
  // How long to wait for any one reply datagram before giving up (DeadlineExceeded). The
  // kernel answers in microseconds; this only guards against a bug leaving us waiting forever.
  static constexpr int kReplyTimeoutMs = 10000;

  // Opens and binds a socket with extended acks on (NETLINK_EXT_ACK) and echoed requests off
  // (NETLINK_CAP_ACK). With `ns`, the socket is created on a thread inside that namespace and
  // stays bound to it: every request through it acts on `ns`, from any thread.
  static StatusOr<NetlinkSocket> Open(const netns::NetNs* ns = nullptr);

  // Sends one request that changes the kernel and waits for its ack. On refusal returns
  // KernelError(context, ...): "<context>: <strerror> (<ext-ack text>)".
  Status Execute(std::vector<uint8_t> request, std::string_view context);
  // Sends a request that asks for one object (RTM_GET* without NLM_F_DUMP, with NLM_F_ACK) and
  // returns the reply messages.
  StatusOr<std::vector<Message>> Query(std::vector<uint8_t> request, std::string_view context);
  // Sends a dump request (NLM_F_DUMP) and returns every object message of a consistent dump.
  StatusOr<std::vector<Message>> Dump(const std::vector<uint8_t>& request,
                                      std::string_view context);

  int fd() const { return fd_.get(); }
  uint32_t port() const { return port_; }

 private:
  NetlinkSocket(UniqueFd fd, uint32_t port) : fd_(std::move(fd)), port_(port) {}
  // One request/reply exchange; the collector says whether it was a consistent dump.
  StatusOr<ReplyCollector> Exchange(std::vector<uint8_t> request, bool dump,
                                    std::string_view context);
  Status Send(std::vector<uint8_t>& request, uint32_t seq, std::string_view context);
  // One datagram from the kernel, split into messages.
  StatusOr<std::vector<Message>> Receive(std::string_view context);

  UniqueFd fd_;
  uint32_t port_ = 0;
  uint32_t next_seq_ = 1;
};

}  // namespace egret::netlink
