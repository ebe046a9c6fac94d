#include "lab/ws_handshake.h"

#include <utility>
#include <vector>

#include "common/strings.h"
#include "lab/ws_base64.h"
#include "lab/ws_sha1.h"

namespace egret::lab {
namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kKeyBytes = 16;

struct HttpHead {
  std::string start_line;
  std::vector<std::pair<std::string, std::string>> fields;  // lower-case name, trimmed value
};

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Optional white space (RFC 9110 §5.6.3): spaces and tabs.
std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Visible characters, spaces and tabs, and obs-text (bytes >= 0x80) only.
bool IsFieldValue(std::string_view v) {
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

StatusOr<std::pair<std::string, std::string>> ParseField(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') {
    return InvalidError("folded header lines are not accepted");
  }
  size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || name.empty()) {
    return InvalidError("a header line is not NAME: VALUE");
  }
  for (char c : name) {
    if (!IsTokenChar(c)) return InvalidError("header name " + Quote(name) + " is not a token");
  }
  std::string_view value = TrimOws(line.substr(colon + 1));
  if (!IsFieldValue(value)) {
    return InvalidError("header " + Quote(name) + " has a control character");
  }
  return std::make_pair(ToLower(name), std::string(value));
}

// Splits a head (through its empty line) into the start line and the header fields.
StatusOr<HttpHead> ParseHead(std::string_view head) {
  if (head.size() > kWsMaxHeadSize) {
    return InvalidError("the head is over " + std::to_string(kWsMaxHeadSize) + " bytes");
  }
  size_t head_end = FindHttpHeadEnd(head);
  if (head_end == 0 || head_end != head.size()) return InvalidError("the head is incomplete");
  head.remove_suffix(2 * kCrlf.size());
  HttpHead out;
  bool first = true;
  while (true) {
    size_t end = head.find(kCrlf);
    std::string_view line = head.substr(0, end);
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      return InvalidError("a line ends in a bare CR or LF");
    }
    if (first) {
      if (line.empty()) return InvalidError("the start line is empty");
      out.start_line = std::string(line);
      first = false;
    } else {
      ASSIGN_OR_RETURN(auto field, ParseField(line));
      out.fields.push_back(std::move(field));
    }
    if (end == std::string_view::npos) return out;
    head.remove_prefix(end + kCrlf.size());
  }
}

// Every value of the field `name`, in order.
std::vector<std::string_view> Values(const HttpHead& h, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : h.fields) {
    if (n == name) out.push_back(v);
  }
  return out;
}

// True when the comma-separated lists of every `name` field hold `token` (any case).
bool HasToken(const HttpHead& h, std::string_view name, std::string_view token) {
  for (std::string_view value : Values(h, name)) {
    for (std::string_view item : Split(value, ',')) {
      if (ToLower(TrimOws(item)) == token) return true;
    }
  }
  return false;
}

// The value of a field that must occur exactly once.
StatusOr<std::string_view> Single(const HttpHead& h, std::string_view name,
                                  std::string_view display) {
  std::vector<std::string_view> v = Values(h, name);
  if (v.empty()) return InvalidError(std::string(display) + " is missing");
  if (v.size() > 1) return InvalidError(std::string(display) + " is given more than once");
  return v.front();
}

Status CheckRequestLine(std::string_view line, WsUpgradeRequest* out) {
  std::vector<std::string_view> parts = Split(line, ' ');
  if (parts.size() != 3) return InvalidError("the request line is not METHOD TARGET VERSION");
  if (parts[0] != "GET") return InvalidError("the method is " + Quote(parts[0]) + ", want GET");
  if (parts[1].empty() || parts[1].front() != '/') {
    return InvalidError("the target " + Quote(parts[1]) + " does not start with '/'");
  }
  if (parts[2] != "HTTP/1.1") {
    return InvalidError("the version is " + Quote(parts[2]) + ", want HTTP/1.1");
  }
  out->target = std::string(parts[1]);
  return Status::Ok();
}

// "HTTP/1.1 NNN[ reason]".
bool IsStatusLine(std::string_view line) {
  if (!line.starts_with("HTTP/1.1 ") || line.size() < 12) return false;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
  }
  return line.size() == 12 || line[12] == ' ';
}

}  // namespace

size_t FindHttpHeadEnd(std::string_view buffer) {
  size_t at = buffer.find("\r\n\r\n");
  return at == std::string_view::npos ? 0 : at + 4;
}

std::string WsAcceptValue(std::string_view key) {
  Sha1Digest d = Sha1(std::string(key) + std::string(kGuid));
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

StatusOr<WsUpgradeRequest> ParseWsUpgradeRequest(std::string_view head) {
  ASSIGN_OR_RETURN(HttpHead h, ParseHead(head));
  WsUpgradeRequest out;
  RETURN_IF_ERROR(CheckRequestLine(h.start_line, &out));
  ASSIGN_OR_RETURN(std::string_view host, Single(h, "host", "Host"));
  if (host.empty()) return InvalidError("Host is empty");
  if (!HasToken(h, "upgrade", "websocket")) return InvalidError("Upgrade is not websocket");
  if (!HasToken(h, "connection", "upgrade")) {
    return InvalidError("Connection does not list Upgrade");
  }
  ASSIGN_OR_RETURN(std::string_view version,
                   Single(h, "sec-websocket-version", "Sec-WebSocket-Version"));
  if (version != "13") {
    return InvalidError("Sec-WebSocket-Version is " + Quote(version) + ", want 13");
  }
  ASSIGN_OR_RETURN(std::string_view key, Single(h, "sec-websocket-key", "Sec-WebSocket-Key"));
  std::optional<std::string> raw = Base64Decode(key);
  if (!raw || raw->size() != kKeyBytes) {
    return InvalidError("Sec-WebSocket-Key " + Quote(key) + " is not 16 bytes in base64");
  }
  out.key = std::string(key);
  return out;
}

std::string WsUpgradeRequestText(std::string_view host, std::string_view target,
                                 std::string_view key) {
  return "GET " + std::string(target) +
         " HTTP/1.1\r\n"
         "Host: " +
         std::string(host) +
         "\r\n"
         "Upgrade: websocket\r\n"
         "Connection: Upgrade\r\n"
         "Sec-WebSocket-Key: " +
         std::string(key) +
         "\r\n"
         "Sec-WebSocket-Version: 13\r\n\r\n";
}

std::string WsSwitchingProtocolsText(std::string_view key) {
  return "HTTP/1.1 101 Switching Protocols\r\n"
         "Upgrade: websocket\r\n"
         "Connection: Upgrade\r\n"
         "Sec-WebSocket-Accept: " +
         WsAcceptValue(key) + "\r\n\r\n";
}

std::string WsBadRequestText(std::string_view reason) {
  std::string body = std::string(reason) + "\n";
  return "HTTP/1.1 400 Bad Request\r\n"
         "Connection: close\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

Status CheckWsUpgradeResponse(std::string_view head, std::string_view key) {
  ASSIGN_OR_RETURN(HttpHead h, ParseHead(head));
  std::string_view line = h.start_line;
  if (!IsStatusLine(line)) {
    return InvalidError("the answer is not HTTP/1.1: " + Quote(line.substr(0, 64)));
  }
  std::string_view status = line.substr(9);
  if (!status.starts_with("101")) return InvalidError("handshake rejected: " + std::string(status));
  if (!HasToken(h, "upgrade", "websocket"))
    return InvalidError("the 101 has no Upgrade: websocket");
  if (!HasToken(h, "connection", "upgrade")) {
    return InvalidError("the 101 has no Connection: Upgrade");
  }
  ASSIGN_OR_RETURN(std::string_view accept,
                   Single(h, "sec-websocket-accept", "Sec-WebSocket-Accept"));
  std::string want = WsAcceptValue(key);
  if (accept != want) {
    return InvalidError("Sec-WebSocket-Accept is " + Quote(accept) + ", want " + Quote(want));
  }
  for (std::string_view name : {"sec-websocket-extensions", "sec-websocket-protocol"}) {
    if (!Values(h, name).empty()) {
      return InvalidError("the 101 sets " + std::string(name) + ", which was not asked for");
    }
  }
  return Status::Ok();
}

}  // namespace egret::lab
