#include "lab/ws_frame.h"

#include <gtest/gtest.h>

namespace egret::lab {
namespace {

constexpr WsMaskKey kRfcMask = {0x37, 0xfa, 0x21, 0x3d};
constexpr WsDecodeLimits kServer = {.masked = true};
constexpr WsDecodeLimits kClient = {.masked = false};

std::string Bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(static_cast<char>(c));
  return out;
}

WsFrame DecodeOk(std::string_view in, const WsDecodeLimits& limits) {
  WsDecoded d = DecodeWsFrame(in, limits);
  EXPECT_EQ(d.kind, WsDecoded::Kind::kFrame) << d.error;
  EXPECT_EQ(d.consumed, in.size());
  return d.frame;
}

void ExpectError(std::string_view in, const WsDecodeLimits& limits, uint16_t code,
                 std::string_view part) {
  WsDecoded d = DecodeWsFrame(in, limits);
  ASSERT_EQ(d.kind, WsDecoded::Kind::kError);
  EXPECT_EQ(d.close_code, code);
  EXPECT_NE(d.error.find(part), std::string::npos) << d.error;
}

// RFC 6455 §5.7.
TEST(WsFrame, Rfc6455Examples) {
  std::string hello = Bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, "Hello"), hello);
  EXPECT_EQ(DecodeOk(hello, kClient), (WsFrame{true, WsOpcode::kText, "Hello"}));

  std::string masked = Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, "Hello", kRfcMask), masked);
  EXPECT_EQ(DecodeOk(masked, kServer), (WsFrame{true, WsOpcode::kText, "Hello"}));

  EXPECT_EQ(EncodeWsFrame(WsOpcode::kPing, "Hello"),
            Bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  std::string pong = Bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kPong, "Hello", kRfcMask), pong);
  EXPECT_EQ(DecodeOk(pong, kServer).opcode, WsOpcode::kPong);

  // A fragmented unmasked text message: "Hel" then "lo".
  WsFrame first = DecodeOk(Bytes({0x01, 0x03, 0x48, 0x65, 0x6c}), kClient);
  EXPECT_FALSE(first.fin);
  EXPECT_EQ(first.payload, "Hel");
  WsFrame last = DecodeOk(Bytes({0x80, 0x02, 0x6c, 0x6f}), kClient);
  EXPECT_TRUE(last.fin);
  EXPECT_EQ(last.opcode, WsOpcode::kContinuation);
}

TEST(WsFrame, ExtendedLengths) {
  std::string p256(256, 'x');
  std::string f256 = EncodeWsFrame(WsOpcode::kBinary, p256);
  EXPECT_EQ(f256.substr(0, 4), Bytes({0x82, 0x7e, 0x01, 0x00}));
  EXPECT_EQ(DecodeOk(f256, kClient).payload, p256);

  std::string p64k(64 * 1024, 'y');  // exactly the limit: allowed
  std::string f64k = EncodeWsFrame(WsOpcode::kBinary, p64k);
  EXPECT_EQ(f64k.substr(0, 10), Bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}));
  EXPECT_EQ(DecodeOk(f64k, kClient).payload, p64k);

  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, std::string(125, 'a')).size(), 2u + 125);
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, std::string(126, 'a')).size(), 4u + 126);
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, std::string(65535, 'a')).size(), 4u + 65535);
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, std::string(65536, 'a')).size(), 10u + 65536);
}

TEST(WsFrame, MaskingRoundTripsEveryLengthAndByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n : {0, 1, 3, 4, 5, 125, 126, 200, 256}) {
    std::string payload = (all + all).substr(0, n);
    std::string frame = EncodeWsFrame(WsOpcode::kBinary, payload, WsMaskKey{1, 2, 254, 255});
    EXPECT_EQ(DecodeOk(frame, kServer).payload, payload) << n;
  }
}

TEST(WsFrame, NeedsMoreUntilTheWholeFrameIsThere) {
  std::string frame = EncodeWsFrame(WsOpcode::kText, std::string(300, 'z'), kRfcMask);
  for (size_t n = 0; n < frame.size(); ++n) {
    EXPECT_EQ(DecodeWsFrame(std::string_view(frame).substr(0, n), kServer).kind,
              WsDecoded::Kind::kNeedMore)
        << n;
  }
  // Bytes after the frame are the next frame's: only the first is consumed.
  std::string two = frame + EncodeWsFrame(WsOpcode::kPing, "", kRfcMask);
  WsDecoded d = DecodeWsFrame(two, kServer);
  ASSERT_EQ(d.kind, WsDecoded::Kind::kFrame);
  EXPECT_EQ(d.consumed, frame.size());
}

TEST(WsFrame, CloseFramePayload) {
  EXPECT_EQ(WsClosePayload(1000), Bytes({0x03, 0xe8}));
  EXPECT_EQ(WsClosePayload(1001, "bye"), Bytes({0x03, 0xe9}) + "bye");
  EXPECT_EQ(WsCloseCode(Bytes({0x03, 0xf1, 'x'})), 1009);
  EXPECT_FALSE(WsCloseCode(""));
}

TEST(WsFrame, RefusesProtocolErrors) {
  ExpectError(EncodeWsFrame(WsOpcode::kText, "hi"), kServer, kWsCloseProtocolError,
              "a client frame is not masked");
  ExpectError(EncodeWsFrame(WsOpcode::kText, "hi", kRfcMask), kClient, kWsCloseProtocolError,
              "a server frame is masked");
  ExpectError(Bytes({0xc1, 0x00}), kClient, kWsCloseProtocolError, "reserved bits are set");
  ExpectError(Bytes({0x83, 0x00}), kClient, kWsCloseProtocolError, "unknown opcode 3");
  ExpectError(Bytes({0x8b, 0x00}), kClient, kWsCloseProtocolError, "unknown opcode 11");
  ExpectError(Bytes({0x09, 0x00}), kClient, kWsCloseProtocolError, "a control frame is fragmented");
  ExpectError(Bytes({0x89, 0x7e}), kClient, kWsCloseProtocolError, "over 125 bytes");
  ExpectError(Bytes({0x88, 0x01, 0x03}), kClient, kWsCloseProtocolError, "a 1-byte payload");
  ExpectError(Bytes({0x82, 0x7e, 0x00, 0x7d}), kClient, kWsCloseProtocolError,
              "not in its shortest form");
  ExpectError(Bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff}), kClient, kWsCloseProtocolError,
              "not in its shortest form");
  ExpectError(Bytes({0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}), kClient, kWsCloseProtocolError,
              "top bit set");
}

TEST(WsFrame, RefusesAnOversizedPayloadFromTheHeaderAlone) {
  // 64 KiB + 1 declared: refused before any payload byte arrived.
  ExpectError(Bytes({0x82, 0xff, 0, 0, 0, 0, 0, 0x01, 0x00, 0x01}), kServer, kWsCloseTooBig,
              "a payload of 65537 bytes (at most 65536)");
  ExpectError(Bytes({0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), kServer,
              kWsCloseTooBig, "at most 65536");
  ExpectError(Bytes({0x82, 0x7e, 0x00, 0xc8}), {.masked = false, .max_payload = 100},
              kWsCloseTooBig, "a payload of 200 bytes (at most 100)");
}

}  // namespace
}  // namespace egret::lab
