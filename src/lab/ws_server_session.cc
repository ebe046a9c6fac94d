#include "lab/ws_server_session.h"

#include "doc/json.h"
#include "lab/ws_frame.h"
#include "lab/ws_handshake.h"

namespace egret::lab {
namespace {

// A close frame's reason must fit the 125-byte control payload after the 2-byte code.
constexpr size_t kMaxCloseReason = kWsMaxControlPayload - 2;

std::string SourceMessage(const std::string& peer) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("source", peer);
  return doc::ToJson(v);
}

// A code a peer may send in a close frame (RFC 6455 §7.4): the assigned ones less those
// reserved for reporting (1004-1006, 1015), and the registered/private range 3000-4999.
bool IsSendableCloseCode(uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace

void WsServerSession::Receive(std::string_view bytes) {
  if (state_ == State::kFinished) return;
  in_.append(bytes);
  if (state_ == State::kHandshake) Handshake();
  if (state_ == State::kOpen) Frames();
}

void WsServerSession::TimeOut() {
  if (state_ == State::kHandshake) Reject("no complete request in time");
  if (state_ == State::kOpen) Close(kWsCloseGoingAway, "idle for too long");
}

void WsServerSession::Handshake() {
  size_t end = FindHttpHeadEnd(in_);
  if ((end == 0 && in_.size() > kWsMaxHeadSize) || end > kWsMaxHeadSize) {
    Reject("the request head is over " + std::to_string(kWsMaxHeadSize) + " bytes");
    return;
  }
  if (end == 0) return;
  auto request = ParseWsUpgradeRequest(std::string_view(in_).substr(0, end));
  if (!request.ok()) {
    Reject(request.status().message());
    return;
  }
  out_ += WsSwitchingProtocolsText(request->key);
  out_ += EncodeWsFrame(WsOpcode::kText, SourceMessage(peer_));
  in_.erase(0, end);
  state_ = State::kOpen;
  upgraded_ = true;
}

void WsServerSession::Frames() {
  while (state_ == State::kOpen) {
    WsDecoded d = DecodeWsFrame(in_, {.masked = true, .max_payload = kWsMaxPayload});
    if (d.kind == WsDecoded::Kind::kNeedMore) return;
    if (d.kind == WsDecoded::Kind::kError) {
      Close(d.close_code, d.error);
      return;
    }
    in_.erase(0, d.consumed);
    const WsFrame& f = d.frame;
    if (!f.fin || f.opcode == WsOpcode::kContinuation) {
      Close(kWsCloseUnsupported, "fragmented messages are not supported");
      return;
    }
    switch (f.opcode) {
      case WsOpcode::kText:
      case WsOpcode::kBinary:
        out_ += EncodeWsFrame(f.opcode, f.payload);
        break;
      case WsOpcode::kPing:
        out_ += EncodeWsFrame(WsOpcode::kPong, f.payload);
        break;
      case WsOpcode::kPong:
      case WsOpcode::kContinuation:
        break;
      case WsOpcode::kClose: {
        // Echo the peer's code (RFC 6455 §5.5.1) without a reason; none when it sent none,
        // 1002 when it sent one that must not be sent.
        std::optional<uint16_t> code = WsCloseCode(f.payload);
        if (code && !IsSendableCloseCode(*code)) code = kWsCloseProtocolError;
        out_ += EncodeWsFrame(WsOpcode::kClose, code ? WsClosePayload(*code) : "");
        in_.clear();
        state_ = State::kFinished;
        return;
      }
    }
  }
}

void WsServerSession::Reject(std::string_view reason) {
  out_ += WsBadRequestText(reason);
  in_.clear();
  state_ = State::kFinished;
}

void WsServerSession::Close(uint16_t code, std::string_view reason) {
  out_ += EncodeWsFrame(WsOpcode::kClose, WsClosePayload(code, reason.substr(0, kMaxCloseReason)));
  in_.clear();
  state_ = State::kFinished;
}

}  // namespace egret::lab
