// The netlink wire format as pure functions over byte buffers: splitting a datagram into
// messages, reading attributes, building requests, and reading acks and errors. No sockets
// here (socket.h sends what this builds), so every decoder runs in unit tests and under a fuzzer
// on arbitrary bytes: malformed input gives an Invalid status, never a crash or an over-read.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::netlink {

using Bytes = std::span<const uint8_t>;

// One netlink message: the header fields and an owned copy of the payload (what follows
// struct nlmsghdr, without the alignment padding).
struct Message {
  uint16_t type = 0;
  uint16_t flags = 0;
  uint32_t seq = 0;
  uint32_t port = 0;
  std::vector<uint8_t> payload;
};

// The wire form of a message (header + payload + padding): for tests and captured corpora.
std::vector<uint8_t> SerializeMessage(const Message& m);

// Splits one datagram (or any concatenation of messages) into messages. Invalid when a length
// field is shorter than a header or runs past the end of the buffer, or bytes are left over.
StatusOr<std::vector<Message>> ParseMessages(Bytes bytes);

// An attribute as a view into its message: the type without the NLA_F_NESTED and
// NLA_F_NET_BYTEORDER bits, and the data without padding.
struct Attr {
  uint16_t type = 0;
  Bytes data;

  // The typed readers return nullopt unless the data has exactly the type's size.
  std::optional<uint8_t> U8() const { return Fixed<uint8_t>(); }
  std::optional<uint16_t> U16() const { return Fixed<uint16_t>(); }
  std::optional<uint32_t> U32() const { return Fixed<uint32_t>(); }
  std::optional<uint16_t> Be16() const;  // network byte order (ports)
  // A NUL-terminated string; the text up to the first NUL (all of it when there is none).
  std::string Str() const;

 private:
  template <typename T>
  std::optional<T> Fixed() const {
    if (data.size() != sizeof(T)) return std::nullopt;
    T v;
    std::memcpy(&v, data.data(), sizeof(T));
    return v;
  }
};

// The attributes of one message or nest, in order.
class AttrList {
 public:
  // Invalid when an attribute's length is shorter than its header or runs past the end.
  static StatusOr<AttrList> Parse(Bytes bytes);

  // The first attribute of that type, nullptr when absent.
  const Attr* Find(uint16_t type) const;
  const std::vector<Attr>& all() const { return attrs_; }

 private:
  std::vector<Attr> attrs_;
};

// Reads a fixed-size family header (struct ifinfomsg, rtmsg, ...) from the front of a payload;
// `rest` receives the attributes that follow it. Invalid when the payload is too short.
template <typename T>
StatusOr<T> ReadHeader(Bytes payload, std::string_view what, Bytes* rest);

// Attribute values that must be exactly `size` bytes; Invalid naming the attribute otherwise.
Status CheckSize(const Attr& a, size_t size, std::string_view what);

// Builds one request message. The sequence number is left 0: the socket sets it when sending.
class MessageBuilder {
 public:
  MessageBuilder(uint16_t type, uint16_t flags);

  // Appends a fixed struct (the family header, or a header inside a nest), padded.
  template <typename T>
  MessageBuilder& Raw(const T& value) {
    return Append(&value, sizeof(T));
  }
  MessageBuilder& U8(uint16_t type, uint8_t v) { return Put(type, &v, 1); }
  MessageBuilder& U16(uint16_t type, uint16_t v) { return Put(type, &v, 2); }
  MessageBuilder& U32(uint16_t type, uint32_t v) { return Put(type, &v, 4); }
  MessageBuilder& Be16(uint16_t type, uint16_t host_order);
  MessageBuilder& Str(uint16_t type, std::string_view s);  // NUL-terminated
  MessageBuilder& Put(uint16_t type, const void* data, size_t size);
  MessageBuilder& Put(uint16_t type, Bytes data) { return Put(type, data.data(), data.size()); }

  // Opens a nested attribute (NLA_F_NESTED set); returns its offset for EndNested.
  size_t BeginNested(uint16_t type);
  void EndNested(size_t offset);

  // The finished message, length filled in.
  std::vector<uint8_t> Finish() &&;

 private:
  MessageBuilder& Append(const void* data, size_t size);
  std::vector<uint8_t> buf_;
};

// An NLMSG_ERROR (an ack when error is 0) or NLMSG_DONE message: the outcome of a request.
struct Ack {
  int error = 0;        // positive errno; 0 = success
  std::string message;  // the kernel's extended-ack text (NLMSGERR_ATTR_MSG), "" when none
};
// Decodes an NLMSG_ERROR or NLMSG_DONE message (extended-ack attributes included).
StatusOr<Ack> DecodeAck(const Message& m);

// The Status for a failed request: "<context>: <strerror>" plus " (<ext-ack text>)" when the
// kernel explained. The code says what a caller can do: EEXIST → AlreadyExists; ENODEV, ENOENT,
// ESRCH, EADDRNOTAVAIL → NotFound; EINVAL, EBADF, ERANGE, EOPNOTSUPP, EAFNOSUPPORT,
// EPROTONOSUPPORT → Invalid; ENETUNREACH, EHOSTUNREACH, ENETDOWN, EBUSY, ENOTEMPTY →
// FailedPrecondition; EPERM, EACCES →
// Unauthorized; ENOBUFS, EAGAIN, EINTR → Unavailable; others → Internal.
Status KernelError(std::string_view context, const Ack& ack);

// Follows the replies to one request, matched by sequence number, until the request is
// complete: an ack for ordinary requests, NLMSG_DONE (or an error) for dumps. Messages of other
// sequence numbers (left over from an earlier, abandoned exchange) are ignored.
class ReplyCollector {
 public:
  ReplyCollector(uint32_t seq, bool dump) : seq_(seq), dump_(dump) {}

  // Takes one received message. Invalid when an ack or done message is malformed.
  Status Add(Message m);
  bool done() const { return done_; }
  // A dump whose data changed while it was read (NLM_F_DUMP_INTR): read it again.
  bool interrupted() const { return interrupted_; }
  const Ack& ack() const { return ack_; }
  std::vector<Message>& replies() { return replies_; }

 private:
  uint32_t seq_;
  bool dump_;
  bool done_ = false;
  bool interrupted_ = false;
  Ack ack_;
  std::vector<Message> replies_;
};

template <typename T>
StatusOr<T> ReadHeader(Bytes payload, std::string_view what, Bytes* rest) {
  constexpr size_t kAligned = (sizeof(T) + 3) & ~size_t{3};
  if (payload.size() < sizeof(T)) {
    return InvalidError(std::string(what) + ": payload of " + std::to_string(payload.size()) +
                        " bytes is shorter than its " + std::to_string(sizeof(T)) + "-byte header");
  }
  T header;
  std::memcpy(&header, payload.data(), sizeof(T));
  *rest = payload.size() >= kAligned ? payload.subspan(kAligned) : Bytes();
  return header;
}

}  // namespace egret::netlink
