#include "lab/ws_server_session.h"

#include <gtest/gtest.h>

#include <random>

#include "lab/ws_frame.h"
#include "lab/ws_handshake.h"

namespace egret::lab {
namespace {

constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr WsMaskKey kMask = {9, 8, 7, 6};

std::string Upgrade() { return WsUpgradeRequestText("10.0.0.2:8080", "/", kKey); }

std::string ClientFrame(WsOpcode op, std::string_view payload) {
  return EncodeWsFrame(op, payload, kMask);
}

// Decodes every (unmasked) frame of `out`; fails the test on anything else.
std::vector<WsFrame> ServerFrames(std::string_view out) {
  std::vector<WsFrame> frames;
  while (!out.empty()) {
    WsDecoded d = DecodeWsFrame(out, {.masked = false});
    EXPECT_EQ(d.kind, WsDecoded::Kind::kFrame) << d.error;
    if (d.kind != WsDecoded::Kind::kFrame) break;
    frames.push_back(d.frame);
    out.remove_prefix(d.consumed);
  }
  return frames;
}

// An upgraded session whose 101 and first frame were taken and checked.
WsServerSession Upgraded() {
  WsServerSession s("10.244.1.5");
  s.Receive(Upgrade());
  std::string out = s.TakeOutput();
  size_t head = FindHttpHeadEnd(out);
  EXPECT_TRUE(CheckWsUpgradeResponse(out.substr(0, head), kKey).ok()) << out;
  std::vector<WsFrame> frames = ServerFrames(std::string_view(out).substr(head));
  EXPECT_EQ(frames, (std::vector<WsFrame>{{true, WsOpcode::kText, R"({"source":"10.244.1.5"})"}}));
  EXPECT_TRUE(s.upgraded());
  EXPECT_FALSE(s.finished());
  return s;
}

void ExpectClosedWith(WsServerSession& s, uint16_t code, std::string_view reason_part) {
  std::vector<WsFrame> frames = ServerFrames(s.TakeOutput());
  ASSERT_FALSE(frames.empty());
  const WsFrame& last = frames.back();
  EXPECT_EQ(last.opcode, WsOpcode::kClose);
  EXPECT_EQ(WsCloseCode(last.payload), code);
  EXPECT_NE(last.payload.find(reason_part), std::string::npos) << last.payload;
  EXPECT_TRUE(s.finished());
}

TEST(WsServerSession, UpgradesAndSendsTheSource) { Upgraded(); }

TEST(WsServerSession, TakesTheRequestAByteAtATime) {
  WsServerSession s("fd00::5");
  std::string req = Upgrade() + ClientFrame(WsOpcode::kText, "x");
  for (char c : req) s.Receive(std::string_view(&c, 1));
  std::string out = s.TakeOutput();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
  std::vector<WsFrame> frames = ServerFrames(std::string_view(out).substr(FindHttpHeadEnd(out)));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].payload, R"({"source":"fd00::5"})");
  EXPECT_EQ(frames[1], (WsFrame{true, WsOpcode::kText, "x"}));
}

TEST(WsServerSession, EchoesDataAnswersPingIgnoresPong) {
  WsServerSession s = Upgraded();
  s.Receive(ClientFrame(WsOpcode::kText, "one") + ClientFrame(WsOpcode::kPong, "p") +
            ClientFrame(WsOpcode::kBinary, std::string("\0\1", 2)) +
            ClientFrame(WsOpcode::kPing, "hb") + ClientFrame(WsOpcode::kText, ""));
  EXPECT_EQ(ServerFrames(s.TakeOutput()),
            (std::vector<WsFrame>{{true, WsOpcode::kText, "one"},
                                  {true, WsOpcode::kBinary, std::string("\0\1", 2)},
                                  {true, WsOpcode::kPong, "hb"},
                                  {true, WsOpcode::kText, ""}}));
  std::string big(kWsMaxPayload, 'b');  // the limit itself is fine
  s.Receive(ClientFrame(WsOpcode::kText, big));
  EXPECT_EQ(ServerFrames(s.TakeOutput()), (std::vector<WsFrame>{{true, WsOpcode::kText, big}}));
  EXPECT_FALSE(s.finished());
}

TEST(WsServerSession, AnswersCloseWithCloseAndStops) {
  WsServerSession s = Upgraded();
  s.Receive(ClientFrame(WsOpcode::kClose, WsClosePayload(1000, "bye")) +
            ClientFrame(WsOpcode::kText, "after"));
  EXPECT_EQ(ServerFrames(s.TakeOutput()),
            (std::vector<WsFrame>{{true, WsOpcode::kClose, WsClosePayload(1000)}}));
  EXPECT_TRUE(s.finished());
  s.Receive(ClientFrame(WsOpcode::kText, "later"));
  EXPECT_EQ(s.TakeOutput(), "");

  WsServerSession empty = Upgraded();
  empty.Receive(ClientFrame(WsOpcode::kClose, ""));
  EXPECT_EQ(ServerFrames(empty.TakeOutput()), (std::vector<WsFrame>{{true, WsOpcode::kClose, ""}}));

  WsServerSession reserved = Upgraded();  // 1005 must never be sent: answered with 1002
  reserved.Receive(ClientFrame(WsOpcode::kClose, WsClosePayload(1005)));
  ExpectClosedWith(reserved, kWsCloseProtocolError, "");
}

TEST(WsServerSession, ClosesOnBadFrames) {
  WsServerSession unmasked = Upgraded();
  unmasked.Receive(EncodeWsFrame(WsOpcode::kText, "plain"));
  ExpectClosedWith(unmasked, kWsCloseProtocolError, "a client frame is not masked");

  WsServerSession big = Upgraded();
  big.Receive(ClientFrame(WsOpcode::kBinary, std::string(kWsMaxPayload + 1, 'x')).substr(0, 14));
  ExpectClosedWith(big, kWsCloseTooBig, "a payload of 65537 bytes");

  WsServerSession fragment = Upgraded();
  std::string first = ClientFrame(WsOpcode::kText, "Hel");
  first[0] = static_cast<char>(first[0] & 0x7F);  // FIN off
  fragment.Receive(first);
  ExpectClosedWith(fragment, kWsCloseUnsupported, "fragmented messages are not supported");

  WsServerSession opcode = Upgraded();
  opcode.Receive(std::string("\x83\x80\0\0\0\0", 6));
  ExpectClosedWith(opcode, kWsCloseProtocolError, "unknown opcode 3");
}

// Every malformed request gets a 400 naming the reason, then nothing more.
TEST(WsServerSession, RejectsBadRequestsWith400) {
  struct Case {
    std::string request;
    std::string reason;
  };
  std::string req = Upgrade();
  std::string no_upgrade = req;
  no_upgrade.replace(no_upgrade.find("websocket"), 9, "h2c");
  std::vector<Case> cases = {
      {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "Upgrade is not websocket"},
      {no_upgrade, "Upgrade is not websocket"},
      {"\x16\x03\x01\x02\x05\x01\x02\x01\xfc\x03\x03\r\n\r\n", "the request line is not"},  // TLS
      {std::string(9000, 'A'), "the request head is over 8192 bytes"},
      {"GET / HTTP/1.1\r\nX: " + std::string(8200, 'a') + "\r\n\r\n", "over 8192 bytes"},
  };
  for (const Case& c : cases) {
    WsServerSession s("10.0.0.1");
    s.Receive(c.request);
    std::string out = s.TakeOutput();
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n")) << out.substr(0, 80);
    EXPECT_NE(out.find(c.reason), std::string::npos) << out;
    EXPECT_TRUE(s.finished());
    EXPECT_FALSE(s.upgraded());
    s.Receive(Upgrade());
    EXPECT_EQ(s.TakeOutput(), "");
  }
}

TEST(WsServerSession, WaitsForAnIncompleteHeadAndTimesOut) {
  WsServerSession s("10.0.0.1");
  s.Receive("GET / HTTP/1.1\r\nHost: a\r\n");
  EXPECT_EQ(s.TakeOutput(), "");
  EXPECT_FALSE(s.finished());
  s.TimeOut();
  std::string out = s.TakeOutput();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_NE(out.find("no complete request in time"), std::string::npos);
  EXPECT_TRUE(s.finished());

  WsServerSession idle = Upgraded();
  idle.TimeOut();
  ExpectClosedWith(idle, kWsCloseGoingAway, "idle for too long");
  idle.TimeOut();
  EXPECT_EQ(idle.TakeOutput(), "");
}

// Not a fuzzer (that belongs in tests/fuzz), but a deterministic sweep of garbage: random
// bytes alone and after a valid upgrade, in random pieces. The session must never crash, must
// end with a 400 or a close frame when it ends, and say nothing after that.
TEST(WsServerSession, SurvivesRandomInput) {
  std::mt19937 rng(6455);
  for (int round = 0; round < 2000; ++round) {
    std::string input = round % 2 ? Upgrade() : "";
    size_t n = rng() % 300;
    for (size_t i = 0; i < n; ++i) input.push_back(static_cast<char>(rng()));
    WsServerSession s("10.0.0.1");
    std::string out;
    for (size_t at = 0; at < input.size();) {
      size_t piece = 1 + rng() % 40;
      s.Receive(std::string_view(input).substr(at, piece));
      out += s.TakeOutput();
      at += piece;
    }
    if (!s.finished()) continue;
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400 ") || out.starts_with("HTTP/1.1 101 ")) << round;
    if (s.upgraded()) {
      std::vector<WsFrame> frames =
          ServerFrames(std::string_view(out).substr(FindHttpHeadEnd(out)));
      ASSERT_FALSE(frames.empty()) << round;
      EXPECT_EQ(frames.back().opcode, WsOpcode::kClose) << round;
    }
    s.Receive(ClientFrame(WsOpcode::kText, "more"));
    EXPECT_EQ(s.TakeOutput(), "") << round;
  }
}

}  // namespace
}  // namespace egret::lab
