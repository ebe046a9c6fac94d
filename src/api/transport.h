// Stream transport for the Egret API: unix sockets (default) or TCP, carrying newline-delimited
// JSON frames. One frame = one JSON document on one line (JSON never contains a raw newline).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/unique_fd.h"
#include "doc/value.h"

namespace egret::api {

// "unix:/run/egret/egret.sock" or "tcp:127.0.0.1:7443" ("tcp:[::1]:7443" for IPv6).
struct Address {
  enum class Type { kUnix, kTcp };
  Type type = Type::kUnix;
  std::string path;  // unix
  std::string host;  // tcp
  int port = 0;      // tcp
  static StatusOr<Address> Parse(std::string_view text);
  std::string ToString() const;
};

// Frames longer than this are refused: a peer cannot make the other side buffer without bound.
inline constexpr size_t kMaxFrameBytes = 64 << 20;

class Connection {
 public:
  explicit Connection(UniqueFd fd) : fd_(std::move(fd)) {}
  Connection(Connection&&) = default;
  Connection& operator=(Connection&&) = default;

  // Reads one frame; kUnavailable when the peer closed, kDeadlineExceeded on timeout
  // (negative timeout = wait forever), kInvalid for a malformed frame.
  StatusOr<doc::Value> Read(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
  Status Write(const doc::Value& frame);
  // A frame already encoded: one JSON object on one line, without the newline.
  Status WriteEncoded(std::string_view json);
  int fd() const { return fd_.get(); }
  // Half-closes for writing, so a blocked reader on the other side sees EOF.
  void ShutdownWrite();

 private:
  StatusOr<bool> Fill(std::chrono::milliseconds timeout);
  UniqueFd fd_;
  std::string buf_;
};

class Listener {
 public:
  // Binds and listens. A unix path that exists as a stale socket is replaced; its directory is
  // created (0755) and the socket made 0660.
  static StatusOr<Listener> Listen(const Address& addr);
  // Waits up to timeout for a client (negative = forever); kDeadlineExceeded on timeout.
  StatusOr<Connection> Accept(std::chrono::milliseconds timeout);
  const Address& address() const { return addr_; }
  int fd() const { return fd_.get(); }

 private:
  Listener(UniqueFd fd, Address addr) : fd_(std::move(fd)), addr_(std::move(addr)) {}
  UniqueFd fd_;
  Address addr_;
};

StatusOr<Connection> Dial(const Address& addr);

}  // namespace egret::api
