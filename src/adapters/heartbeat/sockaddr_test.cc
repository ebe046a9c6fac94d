#include "adapters/heartbeat/sockaddr.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

namespace egret::heartbeat {
namespace {

Endpoint Ep(const char* ip, uint16_t port) { return {*model::IpAddress::Parse(ip), port}; }

TEST(HeartbeatSockaddr, V4OnV4SocketRoundTrips) {
  sockaddr_storage sa;
  auto len = ToSockaddr(Ep("10.1.2.3", 7946), /*v6=*/false, &sa);
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(sa.ss_family, AF_INET);
  auto back = FromSockaddr(sa, *len);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Ep("10.1.2.3", 7946));
}

TEST(HeartbeatSockaddr, V4OnDualStackSocketIsMappedAndComesBackAsV4) {
  sockaddr_storage sa;
  auto len = ToSockaddr(Ep("10.1.2.3", 7946), /*v6=*/true, &sa);
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(sa.ss_family, AF_INET6);
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&sa);
  EXPECT_TRUE(IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr));
  auto back = FromSockaddr(sa, *len);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Ep("10.1.2.3", 7946));
  EXPECT_EQ(back->ToString(), "10.1.2.3:7946");
}

TEST(HeartbeatSockaddr, V6RoundTripsAndPrintsBracketed) {
  sockaddr_storage sa;
  auto len = ToSockaddr(Ep("fd00::1", 9), /*v6=*/true, &sa);
  ASSERT_TRUE(len.ok());
  auto back = FromSockaddr(sa, *len);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Ep("fd00::1", 9));
  EXPECT_EQ(back->ToString(), "[fd00::1]:9");
}

TEST(HeartbeatSockaddr, V6PeerOnV4SocketIsInvalid) {
  sockaddr_storage sa;
  auto len = ToSockaddr(Ep("fd00::1", 9), /*v6=*/false, &sa);
  EXPECT_EQ(len.status().code(), Code::kInvalid);
  EXPECT_NE(len.status().message().find("[fd00::1]:9 is IPv6, the socket is IPv4-only"),
            std::string::npos);
}

TEST(HeartbeatSockaddr, OtherFamilyIsInvalid) {
  sockaddr_storage sa{};
  sa.ss_family = AF_UNIX;
  EXPECT_FALSE(FromSockaddr(sa, sizeof(sa)).ok());
}

TEST(HeartbeatBootId, IsNonZeroAndVaries) {
  auto a = NewBootId();
  auto b = NewBootId();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, 0u);
  EXPECT_NE(*a, *b);
}

TEST(HeartbeatSocket, BindRejectsAnIdentityThatCannotBeEncoded) {
  auto s = HeartbeatSocket::Bind(Ep("127.0.0.1", 0), {.node = "Bad_Name", .boot_id = 1});
  EXPECT_EQ(s.status().code(), Code::kInvalid);
  EXPECT_NE(s.status().message().find("may contain only"), std::string::npos);
}

}  // namespace
}  // namespace egret::heartbeat
