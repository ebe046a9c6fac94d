#include "lab/probe_ws_conn.h"

#include <sys/socket.h>

#include <cerrno>

namespace egret::lab {
namespace {

constexpr size_t kReadChunk = 16 * 1024;

bool Retry(int err) { return err == EINTR || err == EAGAIN || err == EWOULDBLOCK; }

}  // namespace

WsServerConn::WsServerConn(UniqueFd fd, std::string peer, Clock::time_point now)
    : fd_(std::move(fd)), session_(std::move(peer)), deadline_(now + kHandshakeTime) {}

short WsServerConn::events() const {
  short e = 0;
  if (!peer_eof_ && (phase_ != Phase::kActive || out_.size() < kMaxPendingOutput)) e |= POLLIN;
  if (!out_.empty()) e |= POLLOUT;
  return e;
}

void WsServerConn::Step(short revents, Clock::time_point now) {
  if (revents & (POLLIN | POLLHUP | POLLERR)) Read(now);
  if (phase_ != Phase::kDone && !out_.empty() && (revents & POLLOUT)) Flush();
  Advance(now);
  if (phase_ == Phase::kDone || now < deadline_) return;
  if (phase_ != Phase::kActive) {
    Finish();  // the client does not read its answer, or does not close after it
    return;
  }
  session_.TimeOut();
  out_ += session_.TakeOutput();
  Flush();
  Advance(now);
}

void WsServerConn::Read(Clock::time_point now) {
  if (phase_ == Phase::kDone || peer_eof_) return;
  char buf[kReadChunk];
  ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
  if (n < 0 && Retry(errno)) return;
  if (n < 0) {  // reset: nothing can be delivered any more
    Finish();
    return;
  }
  if (n == 0) {
    peer_eof_ = true;
    // Without more input an active session can only wait for its deadline: end it now. A
    // finishing one still sends what it has (the client may read after shutting down).
    if (phase_ != Phase::kFlushing) Finish();
    return;
  }
  if (phase_ != Phase::kActive) return;  // after the session's end, input is discarded
  session_.Receive(std::string_view(buf, static_cast<size_t>(n)));
  if (session_.upgraded()) deadline_ = now + kIdleTime;
  out_ += session_.TakeOutput();
  // Send at once: the socket is nearly always writable, and an answer should not wait a loop.
  Flush();
}

void WsServerConn::Flush() {
  while (phase_ != Phase::kDone && !out_.empty()) {
    ssize_t n = ::send(fd_.get(), out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0 && Retry(errno)) return;
    if (n < 0) {  // reset or gone: nothing more can be delivered
      Finish();
      return;
    }
    out_.erase(0, static_cast<size_t>(n));
  }
}

void WsServerConn::Advance(Clock::time_point now) {
  if (phase_ == Phase::kActive && session_.finished()) {
    phase_ = Phase::kFlushing;
    deadline_ = now + kFlushTime;
  }
  if (phase_ == Phase::kFlushing && out_.empty()) {
    if (peer_eof_) {
      Finish();
      return;
    }
    ::shutdown(fd_.get(), SHUT_WR);
    phase_ = Phase::kLingering;
    deadline_ = now + kLingerTime;
  }
}

}  // namespace egret::lab
