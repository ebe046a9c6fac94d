// The WebSocket probe client (see probe.h, ProbeApp::kWebSocket): handshake, the source in
// the first frame, an optional hold with echoed frames, the closing handshake.
#include <sys/random.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "common/strings.h"
#include "doc/json.h"
#include "lab/probe_io.h"
#include "lab/ws_base64.h"
#include "lab/ws_frame.h"
#include "lab/ws_handshake.h"

namespace egret::lab::probe_io {
namespace {

using std::chrono::milliseconds;

constexpr size_t kKeyBytes = 16;
constexpr size_t kMaxBodyInError = 200;
constexpr size_t kMaxSentInError = 64;

// `n` bytes from the kernel's random source (getrandom never returns short for n <= 256).
std::optional<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  ssize_t got;
  do {
    got = ::getrandom(out.data(), n, 0);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(n)) return std::nullopt;
  return out;
}

// Text from the server for an error message, which ends up in a terminal: printable ASCII only.
std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7E) c = '?';
  }
  return out;
}

// "10.0.0.1:8080", "[fd00::1]:8080".
std::string HostHeader(const ProbeRequest& r) {
  std::string ip = r.address.ToString();
  if (!r.address.is_v4()) ip = "[" + ip + "]";
  return ip + ":" + std::to_string(r.port);
}

// One client connection over a connected nonblocking socket. Every method returns "" on
// success, else what went wrong, in words for ProbeResult::error.
class WsClient {
 public:
  WsClient(int fd, const ProbeRequest& r) : fd_(fd), r_(r) {}

  std::string Send(std::string_view bytes);
  std::string SendFrame(WsOpcode opcode, std::string_view payload);
  // Reads the answer's head (up to kWsMaxHeadSize); what follows it stays buffered.
  std::string ReadHead(Clock::time_point deadline, std::string* head);
  // The next text, binary or close frame; pings are answered and pongs skipped on the way.
  // *timed_out (and no error) when nothing came by the deadline.
  std::string ReadFrame(Clock::time_point deadline, WsFrame* frame, bool* timed_out);
  // What the server sent after a rejecting head: the start of its body, one line of
  // printable ASCII.
  std::string BufferedText() const;

 private:
  std::string Receive(Clock::time_point deadline, bool* timed_out);

  int fd_;
  const ProbeRequest& r_;
  std::string in_;
};

std::string WsClient::Send(std::string_view bytes) {
  auto deadline = Clock::now() + r_.timeout;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return ErrnoText(errno);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    int ready = WaitFor(fd_, POLLOUT, deadline);
    if (ready == 0) return "sending " + TimeoutText(r_.timeout);
    if (ready < 0) return ErrnoText(errno);
  }
  return "";
}

std::string WsClient::SendFrame(WsOpcode opcode, std::string_view payload) {
  // Client frames are masked with a fresh key from the kernel (RFC 6455 §5.3).
  std::optional<std::string> random = RandomBytes(4);
  if (!random) return "getrandom: " + ErrnoText(errno);
  WsMaskKey mask;
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = static_cast<uint8_t>((*random)[i]);
  return Send(EncodeWsFrame(opcode, payload, mask));
}

std::string WsClient::Receive(Clock::time_point deadline, bool* timed_out) {
  while (true) {
    int ready = WaitFor(fd_, POLLIN, deadline);
    if (ready == 0) {
      *timed_out = true;
      return "";
    }
    if (ready < 0) return ErrnoText(errno);
    char buf[16 * 1024];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return ErrnoText(errno);
    if (n == 0) return "the server closed the connection";
    in_.append(buf, static_cast<size_t>(n));
    return "";
  }
}

std::string WsClient::ReadHead(Clock::time_point deadline, std::string* head) {
  while (true) {
    size_t end = FindHttpHeadEnd(in_);
    if (end > kWsMaxHeadSize || (end == 0 && in_.size() > kWsMaxHeadSize)) {
      return "the server's answer head is over " + std::to_string(kWsMaxHeadSize) + " bytes";
    }
    if (end > 0) {
      *head = in_.substr(0, end);
      in_.erase(0, end);
      return "";
    }
    bool timed_out = false;
    std::string err = Receive(deadline, &timed_out);
    if (timed_out) err = "handshake " + TimeoutText(r_.timeout);
    if (timed_out || !err.empty()) {
      // What a server that does not speak HTTP sent instead (a plain probe port: its line).
      std::string sent = in_.empty() ? "" : "; it sent " + Quote(in_.substr(0, kMaxSentInError));
      return err + (timed_out ? "" : " during the handshake") + sent;
    }
  }
}

std::string WsClient::ReadFrame(Clock::time_point deadline, WsFrame* frame, bool* timed_out) {
  while (true) {
    WsDecoded d = DecodeWsFrame(in_, {.masked = false, .max_payload = kWsMaxPayload});
    if (d.kind == WsDecoded::Kind::kError) return "a bad frame from the server: " + d.error;
    if (d.kind == WsDecoded::Kind::kFrame) {
      in_.erase(0, d.consumed);
      if (d.frame.opcode == WsOpcode::kPong) continue;
      if (d.frame.opcode == WsOpcode::kPing) {
        if (std::string err = SendFrame(WsOpcode::kPong, d.frame.payload); !err.empty()) {
          return err;
        }
        continue;
      }
      if (!d.frame.fin || d.frame.opcode == WsOpcode::kContinuation) {
        return "a fragmented message from the server";
      }
      *frame = std::move(d.frame);
      return "";
    }
    std::string err = Receive(deadline, timed_out);
    if (*timed_out || !err.empty()) return err;
  }
}

std::string WsClient::BufferedText() const {
  std::string_view body(in_);
  return Printable(body.substr(0, std::min(body.find_first_of("\r\n"), kMaxBodyInError)));
}

// "the server closed the WebSocket (1001 idle for too long)".
std::string CloseText(const WsFrame& f) {
  std::string out = "the server closed the WebSocket";
  std::optional<uint16_t> code = WsCloseCode(f.payload);
  if (!code) return out;
  out += " (" + std::to_string(*code);
  if (f.payload.size() > 2) out += " " + Printable(std::string_view(f.payload).substr(2));
  return out + ")";
}

// The upgrade: request, 101 with the right accept value, then the first frame's source.
std::string OpenAndReadSource(WsClient& ws, const ProbeRequest& r, Clock::time_point deadline,
                              std::string* source) {
  std::optional<std::string> key_bytes = RandomBytes(kKeyBytes);
  if (!key_bytes) return "getrandom: " + ErrnoText(errno);
  std::string key = Base64Encode(*key_bytes);
  if (std::string err = ws.Send(WsUpgradeRequestText(HostHeader(r), "/", key)); !err.empty()) {
    return err;
  }
  std::string head;
  if (std::string err = ws.ReadHead(deadline, &head); !err.empty()) return err;
  if (Status st = CheckWsUpgradeResponse(head, key); !st.ok()) {
    std::string body = ws.BufferedText();
    return st.message() + (body.empty() ? "" : ": " + body);
  }
  WsFrame first;
  bool timed_out = false;
  std::string err = ws.ReadFrame(deadline, &first, &timed_out);
  if (timed_out) return "no first frame: " + TimeoutText(r.timeout);
  if (!err.empty()) return err + " before the first frame";
  if (first.opcode == WsOpcode::kClose) return CloseText(first) + " before the first frame";
  auto json = doc::ParseJson(first.payload);
  const doc::Value* src = json.ok() && json->is_map() ? json->Find("source") : nullptr;
  if (first.opcode != WsOpcode::kText || !src || !src->is_string() || src->as_string().empty()) {
    return "the first frame is not {\"source\": \"<address>\"}";
  }
  *source = src->as_string();
  return "";
}

// Waits until `until` with nothing arriving: any frame (or the end) now is an error.
std::string StayQuiet(WsClient& ws, Clock::time_point until) {
  WsFrame f;
  bool timed_out = false;
  std::string err = ws.ReadFrame(until, &f, &timed_out);
  if (timed_out) return "";
  if (!err.empty()) return err;
  return f.opcode == WsOpcode::kClose ? CloseText(f) : "an unexpected frame from the server";
}

// One echo: a text frame out, the same text back within the timeout.
std::string Echo(WsClient& ws, const ProbeRequest& r, int n) {
  std::string text = "egret-probe echo " + std::to_string(n);
  if (std::string err = ws.SendFrame(WsOpcode::kText, text); !err.empty()) return err;
  WsFrame f;
  bool timed_out = false;
  std::string err = ws.ReadFrame(Clock::now() + r.timeout, &f, &timed_out);
  std::string echo = "echo " + std::to_string(n + 1);  // counted from 1 for people
  if (timed_out) return echo + " missing after " + std::to_string(r.timeout.count()) + " ms";
  if (!err.empty()) return err;
  if (f.opcode == WsOpcode::kClose) return CloseText(f);
  if (f.opcode != WsOpcode::kText || f.payload != text) return echo + " differs from what was sent";
  return "";
}

// Holds the connection for r.hold: an echo every kWsEchoInterval, quiet in between.
std::string Hold(WsClient& ws, const ProbeRequest& r, ProbeResult* result) {
  auto start = Clock::now();
  auto end = start + r.hold;
  std::string err;
  for (int k = 0; err.empty(); ++k) {
    auto tick = start + k * kWsEchoInterval;
    if (tick >= end) break;
    err = StayQuiet(ws, tick);
    if (err.empty()) err = Echo(ws, r, k);
    if (err.empty()) ++result->echoes;
  }
  if (err.empty()) err = StayQuiet(ws, end);
  result->held_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
  if (err.empty()) return "";
  return err + " during the hold, after " + std::to_string(result->echoes) + " echoes";
}

// The closing handshake: our close (1000), then the server's close within the timeout.
std::string CloseCleanly(WsClient& ws, const ProbeRequest& r) {
  std::string err = ws.SendFrame(WsOpcode::kClose, WsClosePayload(kWsCloseNormal));
  auto deadline = Clock::now() + r.timeout;
  while (err.empty()) {
    WsFrame f;
    bool timed_out = false;
    err = ws.ReadFrame(deadline, &f, &timed_out);
    if (timed_out) return "no answer to the close: " + TimeoutText(r.timeout);
    if (err.empty() && f.opcode == WsOpcode::kClose) return "";
  }
  return err + " while closing";
}

}  // namespace

ProbeResult ProbeWebSocket(int fd, const sockaddr_storage& sa, socklen_t len,
                           const ProbeRequest& r) {
  auto deadline = Clock::now() + r.timeout;
  if (std::string err = ConnectStream(fd, sa, len, r, deadline); !err.empty()) {
    return Failed(err);
  }
  WsClient ws(fd, r);
  ProbeResult result;
  std::string source;
  std::string err = OpenAndReadSource(ws, r, deadline, &source);
  if (err.empty()) err = Hold(ws, r, &result);
  if (err.empty()) err = CloseCleanly(ws, r);
  if (!err.empty()) {
    result.error = std::move(err);
    return result;
  }
  result.connected = true;
  result.source = std::move(source);
  return result;
}

}  // namespace egret::lab::probe_io
