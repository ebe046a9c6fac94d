#include "core/liveness/heartbeat_codec.h"

#include <gtest/gtest.h>

namespace egret::liveness {
namespace {

Heartbeat Sample() { return {.node = "node-1.lab", .boot_id = 0x0102030405060708, .sequence = 42}; }

std::string ErrorOf(std::vector<uint8_t> bytes) {
  auto d = DecodeHeartbeat(bytes);
  EXPECT_FALSE(d.ok());
  return d.ok() ? "" : d.status().message();
}

TEST(HeartbeatCodec, EncodesTheDocumentedLayout) {
  auto bytes = EncodeHeartbeat({.node = "n", .boot_id = 0x0102030405060708, .sequence = 9});
  ASSERT_TRUE(bytes.ok());
  std::vector<uint8_t> want = {'E', 'H', 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 9, 'n'};
  EXPECT_EQ(*bytes, want);
}

TEST(HeartbeatCodec, RoundTrips) {
  auto bytes = EncodeHeartbeat(Sample());
  ASSERT_TRUE(bytes.ok());
  auto back = DecodeHeartbeat(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Sample());
  auto again = EncodeHeartbeat(*back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *bytes);
}

TEST(HeartbeatCodec, LongestNameFitsIn64Bytes) {
  Heartbeat b = Sample();
  b.node = std::string(kMaxNodeNameBytes, 'a');
  auto bytes = EncodeHeartbeat(b);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), kMaxHeartbeatSize);
  b.node += 'a';
  auto too_long = EncodeHeartbeat(b);
  EXPECT_NE(too_long.status().message().find("node name is 45 bytes, at most 44"),
            std::string::npos);
}

TEST(HeartbeatCodec, EncodeRejectsInvalidFields) {
  Heartbeat b = Sample();
  b.node = "";
  EXPECT_NE(EncodeHeartbeat(b).status().message().find("node name is empty"), std::string::npos);
  b.node = "Node_1";
  EXPECT_NE(EncodeHeartbeat(b).status().message().find("may contain only a-z, 0-9"),
            std::string::npos);
  b.node = "-node";
  EXPECT_NE(EncodeHeartbeat(b).status().message().find("must start and end"), std::string::npos);
  b = Sample();
  b.boot_id = 0;
  EXPECT_NE(EncodeHeartbeat(b).status().message().find("boot id is 0"), std::string::npos);
  b = Sample();
  b.sequence = 0;
  EXPECT_NE(EncodeHeartbeat(b).status().message().find("sequence is 0"), std::string::npos);
}

TEST(HeartbeatCodec, DecodeRejectsShortInput) {
  EXPECT_NE(ErrorOf({}).find("0 bytes, shorter than the 20-byte header"), std::string::npos);
  auto bytes = *EncodeHeartbeat(Sample());
  bytes.resize(19);
  EXPECT_NE(ErrorOf(bytes).find("19 bytes"), std::string::npos);
}

TEST(HeartbeatCodec, DecodeRejectsWrongMagicAndVersion) {
  auto bytes = *EncodeHeartbeat(Sample());
  bytes[1] = 'X';
  EXPECT_NE(ErrorOf(bytes).find("bytes 0-1: not the heartbeat magic"), std::string::npos);
  bytes = *EncodeHeartbeat(Sample());
  bytes[2] = 2;
  EXPECT_NE(ErrorOf(bytes).find("byte 2: version 2 is not supported, expected 1"),
            std::string::npos);
}

TEST(HeartbeatCodec, DecodeRejectsLengthMismatch) {
  auto bytes = *EncodeHeartbeat(Sample());
  bytes.push_back('x');
  EXPECT_NE(ErrorOf(bytes).find("31 bytes, but the header says 30"), std::string::npos);
  bytes = *EncodeHeartbeat(Sample());
  bytes[3] = 200;
  EXPECT_NE(ErrorOf(bytes).find("header says 220"), std::string::npos);
}

TEST(HeartbeatCodec, DecodeRejectsInvalidFields) {
  auto bytes = *EncodeHeartbeat(Sample());
  bytes[20] = 0xff;
  EXPECT_NE(ErrorOf(bytes).find("may contain only"), std::string::npos);
  bytes = *EncodeHeartbeat(Sample());
  for (int i = 4; i < 12; ++i) bytes[i] = 0;
  EXPECT_NE(ErrorOf(bytes).find("boot id is 0"), std::string::npos);
  bytes = *EncodeHeartbeat(Sample());
  for (int i = 12; i < 20; ++i) bytes[i] = 0;
  EXPECT_NE(ErrorOf(bytes).find("sequence is 0"), std::string::npos);
  std::vector<uint8_t> empty_name = {'E', 'H', 1, 0, 0, 0, 0, 0, 0, 0,
                                     0,   1,   0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_NE(ErrorOf(empty_name).find("node name is empty"), std::string::npos);
}

}  // namespace
}  // namespace egret::liveness
