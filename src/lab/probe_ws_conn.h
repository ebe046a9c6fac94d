// One WebSocket connection of the probe server: a WsServerSession over an accepted nonblocking
// socket, with every wait bounded. The server's poll loop asks it what to wait for, hands it
// the events, and drops it once done().
//
// Life: active (handshake, then frames) → flushing (the session finished: send what is left)
// → lingering (write side shut; read and discard until the client closes, so that unread
// input never turns the close into a reset that could destroy the last answer) → done.
#pragma once

#include <poll.h>

#include <chrono>
#include <string>

#include "common/unique_fd.h"
#include "lab/ws_server_session.h"

namespace egret::lab {

class WsServerConn {
 public:
  using Clock = std::chrono::steady_clock;

  // A complete request head must arrive within this time of the accept.
  static constexpr auto kHandshakeTime = std::chrono::seconds(5);
  // An upgraded connection with nothing received for this long is closed (1001).
  static constexpr auto kIdleTime = std::chrono::seconds(10);
  // How long the last answer may take to leave, and the client to close after it.
  static constexpr auto kFlushTime = std::chrono::seconds(2);
  static constexpr auto kLingerTime = std::chrono::seconds(2);
  // Unsent output above which the connection stops reading: a client that sends without
  // reading cannot make the server buffer without bound.
  static constexpr size_t kMaxPendingOutput = 256 * 1024;

  WsServerConn(UniqueFd fd, std::string peer, Clock::time_point now);

  int fd() const { return fd_.get(); }
  short events() const;  // for poll()
  Clock::time_point deadline() const { return deadline_; }
  bool done() const { return phase_ == Phase::kDone; }

  // Handles poll()'s revents for fd() (may be 0), then any deadline that has passed.
  void Step(short revents, Clock::time_point now);

 private:
  enum class Phase { kActive, kFlushing, kLingering, kDone };
  void Read(Clock::time_point now);
  void Flush();
  void Advance(Clock::time_point now);
  void Finish() {
    fd_.reset();
    phase_ = Phase::kDone;
  }

  UniqueFd fd_;
  WsServerSession session_;
  Phase phase_ = Phase::kActive;
  bool peer_eof_ = false;  // the client shut its sending side: nothing more to read
  std::string out_;
  Clock::time_point deadline_;
};

}  // namespace egret::lab
