#include "lab/ws_handshake.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace egret::lab {
namespace {

constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";

std::string Request(std::string_view fields) {
  return "GET /chat HTTP/1.1\r\n" + std::string(fields) + "\r\n";
}

std::string GoodFields() {
  return "Host: 10.0.0.2:8080\r\n"
         "Upgrade: websocket\r\n"
         "Connection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n";
}

// A valid request with one field line replaced: `from` (a whole line) becomes `to`.
std::string With(std::string_view from, std::string_view to) {
  std::string f = GoodFields();
  size_t at = f.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return Request(f.replace(at, from.size(), to));
}

void ExpectRejected(std::string_view head, std::string_view part) {
  auto r = ParseWsUpgradeRequest(head);
  ASSERT_FALSE(r.ok()) << head;
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
}

// RFC 6455 §1.3.
TEST(WsHandshake, AcceptValueOfTheRfcExample) {
  EXPECT_EQ(WsAcceptValue(kKey), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsHandshake, FindsTheEndOfTheHead) {
  EXPECT_EQ(FindHttpHeadEnd("GET / HTTP/1.1\r\nHost: a\r\n"), 0u);
  EXPECT_EQ(FindHttpHeadEnd("GET / HTTP/1.1\r\n\r\nrest"), 18u);
}

TEST(WsHandshake, AcceptsAValidRequest) {
  auto r = ParseWsUpgradeRequest(Request(GoodFields()));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->target, "/chat");
  EXPECT_EQ(r->key, kKey);
}

TEST(WsHandshake, TokensAndNamesAreCaseInsensitiveAndListsAllowed) {
  std::string fields =
      "host: a\r\n"
      "UPGRADE: h2c, WebSocket\r\n"
      "connection: keep-alive\r\n"
      "Connection:\tfoo ,UPGRADE \r\n"
      "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "SEC-WEBSOCKET-VERSION: 13\r\n"
      "Origin: http://example.test\r\n";
  auto r = ParseWsUpgradeRequest(Request(fields));
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST(WsHandshake, RefusesWhatIsNotAnUpgrade) {
  ExpectRejected("POST / HTTP/1.1\r\n" + GoodFields() + "\r\n", "the method is \"POST\", want GET");
  ExpectRejected("get / HTTP/1.1\r\n" + GoodFields() + "\r\n", "want GET");
  ExpectRejected("GET / HTTP/1.0\r\n" + GoodFields() + "\r\n", "want HTTP/1.1");
  ExpectRejected("GET * HTTP/1.1\r\n" + GoodFields() + "\r\n", "does not start with '/'");
  ExpectRejected("GET  / HTTP/1.1\r\n" + GoodFields() + "\r\n", "not METHOD TARGET VERSION");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade: h2c\r\n"), "Upgrade is not websocket");
  ExpectRejected(With("Upgrade: websocket\r\n", ""), "Upgrade is not websocket");
  ExpectRejected(With("Connection: Upgrade\r\n", "Connection: keep-alive\r\n"),
                 "Connection does not list Upgrade");
  ExpectRejected(With("Connection: Upgrade\r\n", "Connection: Upgraded\r\n"),
                 "Connection does not list Upgrade");
  ExpectRejected(With("Sec-WebSocket-Version: 13\r\n", "Sec-WebSocket-Version: 8\r\n"),
                 "Sec-WebSocket-Version is \"8\", want 13");
  ExpectRejected(With("Sec-WebSocket-Version: 13\r\n", ""), "Sec-WebSocket-Version is missing");
  ExpectRejected(With("Sec-WebSocket-Version: 13\r\n",
                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13\r\n"),
                 "Sec-WebSocket-Version is given more than once");
  ExpectRejected(With("Host: 10.0.0.2:8080\r\n", ""), "Host is missing");
  ExpectRejected(With("Host: 10.0.0.2:8080\r\n", "Host:\r\n"), "Host is empty");
}

TEST(WsHandshake, RefusesBadKeys) {
  const std::string line = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  ExpectRejected(With(line, ""), "Sec-WebSocket-Key is missing");
  ExpectRejected(With(line, "Sec-WebSocket-Key: Zm9vYmFy\r\n"),
                 "Sec-WebSocket-Key \"Zm9vYmFy\" is not 16 bytes in base64");
  ExpectRejected(With(line, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n"), "not 16 bytes");
  ExpectRejected(With(line, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\n"), "not 16 bytes");
  ExpectRejected(With(line, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + line),
                 "Sec-WebSocket-Key is given more than once");
}

TEST(WsHandshake, RefusesHostileHeads) {
  std::string good = Request(GoodFields());
  // Bare LF line ends, a bare CR inside a line, folded lines, control characters, no colon,
  // a space before the colon, a name that is not a token.
  std::string lf = good;
  for (size_t at = lf.find("\r\n"); at != std::string::npos; at = lf.find("\r\n", at)) {
    lf.erase(at, 1);
  }
  EXPECT_FALSE(ParseWsUpgradeRequest(lf + "\r\n\r\n").ok());
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade: web\rsocket\r\n"), "bare CR or LF");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade: websocket\nX-Bad: 1\r\n"),
                 "bare CR or LF");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade:\r\n websocket\r\n"),
                 "folded header lines are not accepted");
  ExpectRejected(
      With("Upgrade: websocket\r\n", "Upgrade: web" + std::string(1, '\0') + "socket\r\n"),
      "has a control character");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade: websocket\x7f\r\n"),
                 "has a control character");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade websocket\r\n"), "is not NAME: VALUE");
  ExpectRejected(With("Upgrade: websocket\r\n", ": websocket\r\n"), "is not NAME: VALUE");
  ExpectRejected(With("Upgrade: websocket\r\n", "Upgrade : websocket\r\n"),
                 "header name \"Upgrade \" is not a token");
  ExpectRejected(With("Upgrade: websocket\r\n", "Up(grade: websocket\r\n"), "is not a token");
  ExpectRejected("\r\n" + good, "the start line is empty");
  ExpectRejected(good.substr(0, good.size() - 2), "the head is incomplete");
  ExpectRejected("", "the head is incomplete");
  std::string huge = With("Upgrade: websocket\r\n",
                          "Upgrade: websocket\r\nX-Pad: " + std::string(9000, 'a') + "\r\n");
  ExpectRejected(huge, "the head is over 8192 bytes");
}

TEST(WsHandshake, TheClientsRequest) {
  std::string req = WsUpgradeRequestText("[fd00::2]:8080", "/", kKey);
  EXPECT_EQ(req,
            "GET / HTTP/1.1\r\nHost: [fd00::2]:8080\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n");
  auto parsed = ParseWsUpgradeRequest(req);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->key, kKey);
}

TEST(WsHandshake, TheServersAnswersAndTheClientsCheck) {
  std::string ok = WsSwitchingProtocolsText(kKey);
  EXPECT_EQ(ok,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
  EXPECT_TRUE(CheckWsUpgradeResponse(ok, kKey).ok());

  Status wrong_key = CheckWsUpgradeResponse(ok, "AAAAAAAAAAAAAAAAAAAAAA==");
  EXPECT_NE(wrong_key.message().find("Sec-WebSocket-Accept is \"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\""),
            std::string::npos)
      << wrong_key.message();

  std::string bad = WsBadRequestText("Upgrade is not websocket");
  EXPECT_TRUE(bad.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_TRUE(bad.ends_with("\r\n\r\nUpgrade is not websocket\n"));
  EXPECT_NE(bad.find("Content-Length: 25\r\n"), std::string::npos);
  size_t head = FindHttpHeadEnd(bad);
  EXPECT_EQ(CheckWsUpgradeResponse(bad.substr(0, head), kKey).message(),
            "handshake rejected: 400 Bad Request");
}

TEST(WsHandshake, TheClientRefusesBadAnswers) {
  auto check = [](std::string_view head) { return CheckWsUpgradeResponse(head, kKey).message(); };
  EXPECT_EQ(check("SSH-2.0-x\r\n\r\n"), "the answer is not HTTP/1.1: \"SSH-2.0-x\"");
  EXPECT_EQ(check("HTTP/1.1 10x\r\n\r\n"), "the answer is not HTTP/1.1: \"HTTP/1.1 10x\"");
  EXPECT_EQ(check("HTTP/1.1 200 OK\r\n\r\n"), "handshake rejected: 200 OK");
  std::string accept = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
  EXPECT_EQ(check("HTTP/1.1 101 x\r\nConnection: upgrade\r\n" + accept + "\r\n"),
            "the 101 has no Upgrade: websocket");
  EXPECT_EQ(check("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n" + accept + "\r\n"),
            "the 101 has no Connection: Upgrade");
  EXPECT_EQ(check("HTTP/1.1 101 x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"),
            "Sec-WebSocket-Accept is missing");
  EXPECT_EQ(check("HTTP/1.1 101 x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n" + accept +
                  "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
            "the 101 sets sec-websocket-extensions, which was not asked for");
}

}  // namespace
}  // namespace egret::lab
