#include "lab/ws_base64.h"

#include <gtest/gtest.h>

namespace egret::lab {
namespace {

// RFC 4648 §10.
TEST(WsBase64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [raw, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(raw), encoded) << raw;
    EXPECT_EQ(Base64Decode(encoded), raw) << encoded;
  }
}

TEST(WsBase64, UsesPlusAndSlashAndRoundTripsEveryByte) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 7) {
    std::string part = all.substr(0, n);
    EXPECT_EQ(Base64Decode(Base64Encode(part)), part) << n;
  }
  // The WebSocket key of RFC 6455 §1.3 is 16 bytes.
  auto key = Base64Decode("dGhlIHNhbXBsZSBub25jZQ==");
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "the sample nonce");
}

TEST(WsBase64, DecodingIsStrict) {
  for (const char* bad : {
           "Zg",        // not a multiple of 4
           "Zg=",       // same
           "Zm9v\n",    // no whitespace
           "Zm 9",      // same
           "Zm9-",      // URL-safe alphabet is not this one
           "Zg==Zg==",  // padding in the middle
           "Z===",      // three padding characters
           "====",      // padding only
           "=Zm9",      // padding first
           "Zh==",      // unused bits set: only "Zg==" encodes "f"
           "Zm9=",      // same for two bytes: "Zm8=" encodes "fo"
           "Zm9v\xc3\xa4"
           "AA",  // non-ASCII
       }) {
    EXPECT_FALSE(Base64Decode(bad)) << bad;
  }
  EXPECT_EQ(Base64Decode(std::string_view("AA==", 4)), std::string(1, '\0'));
}

}  // namespace
}  // namespace egret::lab
