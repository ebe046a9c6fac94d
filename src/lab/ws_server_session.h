// The server side of one probe WebSocket connection as a pure state machine: bytes in, bytes
// out, no socket and no clock. probe_ws_conn.* drives it over a socket with deadlines.
//
// It answers a valid upgrade request with 101 and one text frame `{"source":"<peer>"}`, then
// echoes every data frame (text as text, binary as binary), answers ping with pong and close
// with close. Anything else ends the session: a bad request gets "400 Bad Request" with the
// reason as its body, a bad frame a close frame with 1002 (protocol error), 1003 (fragmented
// messages, which the probe never sends) or 1009 (a payload over 64 KiB).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace egret::lab {

class WsServerSession {
 public:
  // `peer` is the client's address as the server saw it.
  explicit WsServerSession(std::string peer) : peer_(std::move(peer)) {}

  // Consumes bytes read from the client. Ignored once finished().
  void Receive(std::string_view bytes);
  // The client took too long (handshake) or went quiet (open): a 400 or a close frame (1001),
  // and the session is finished. No effect once finished().
  void TimeOut();
  // The bytes to send, in order; the session keeps no copy.
  std::string TakeOutput() { return std::exchange(out_, {}); }
  // Over: send what TakeOutput gives, then close the connection. Nothing more comes.
  bool finished() const { return state_ == State::kFinished; }
  // The handshake succeeded (also while or after closing).
  bool upgraded() const { return upgraded_; }

 private:
  enum class State { kHandshake, kOpen, kFinished };
  void Handshake();
  void Frames();
  void Reject(std::string_view reason);
  void Close(uint16_t code, std::string_view reason);

  State state_ = State::kHandshake;
  bool upgraded_ = false;
  std::string peer_;
  std::string in_;   // received, not yet consumed
  std::string out_;  // produced, not yet taken
};

}  // namespace egret::lab
