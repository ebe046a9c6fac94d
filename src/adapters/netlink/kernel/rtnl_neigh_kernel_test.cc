// Rtnl neighbours and VXLAN FDB entries against the real kernel, and a UDP datagram between two
// namespaces joined by a veth pair that Rtnl built (root only, throwaway namespaces).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>

#include "adapters/netlink/describe.h"
#include "adapters/netlink/kernel/kernel_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Neighbor;

std::unique_ptr<Lab> MakeVxlanLab(std::string_view tag) {
  auto lab = Lab::Make(tag);
  if (!lab) return nullptr;
  Rtnl& r = lab->rtnl;
  model::Link vx;
  vx.name = "egret.vx";
  vx.vxlan_id = 42;
  vx.vxlan_local = Ip("10.200.0.1");
  vx.vxlan_underlay = "eg-a0";
  vx.up = true;
  for (Status st : {r.CreateVeth("eg-a0", "eg-a1"), r.SetLinkUp("eg-a0", true),
                    r.AddAddress("eg-a0", Addr("10.200.0.1", 24)), r.CreateVxlan(vx)}) {
    if (!st.ok()) {
      ADD_FAILURE() << st.ToString();
      return nullptr;
    }
  }
  return lab;
}

Neighbor Fdb(std::string_view mac, std::string_view dst) {
  return Neighbor{
      .device = "egret.vx", .ip = Ip(dst), .mac = Mac(mac), .fdb = true, .permanent = true};
}

TEST(KernelRtnl, ProgramsVxlanFdb) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeVxlanLab("fdb");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  std::vector<Neighbor> want = {Fdb("00:00:00:00:00:00", "10.200.0.2"),
                                Fdb("00:00:00:00:00:00", "10.200.0.3"),
                                Fdb("02:00:00:00:00:01", "10.200.0.2")};
  for (int i = 0; i < 2; ++i) {
    for (const Neighbor& n : want) {
      Status st = r.ReplaceNeighbor(n);
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
  }
  auto listed = r.ListNeighbors("egret.vx", true);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  for (const Neighbor& n : want) EXPECT_EQ(CountOf(*listed, n), 1) << DescribeNeighbor(n);
  std::string shown = Observe("bridge -n " + lab->ns.name() + " fdb show dev egret.vx");
  EXPECT_NE(shown.find("02:00:00:00:00:01 dst 10.200.0.2 self permanent"), std::string::npos)
      << shown;

  // Replacing a unicast entry moves it; it does not add a second one.
  ASSERT_TRUE(r.ReplaceNeighbor(Fdb("02:00:00:00:00:01", "10.200.0.3")).ok());
  listed = r.ListNeighbors("egret.vx", true);
  EXPECT_EQ(CountOf(*listed, Fdb("02:00:00:00:00:01", "10.200.0.3")), 1);
  EXPECT_EQ(CountOf(*listed, Fdb("02:00:00:00:00:01", "10.200.0.2")), 0);

  ASSERT_TRUE(r.DeleteNeighbor(want[1]).ok());
  listed = r.ListNeighbors("egret.vx", true);
  EXPECT_EQ(CountOf(*listed, want[0]), 1) << "the other flooding destination stays";
  EXPECT_EQ(CountOf(*listed, want[1]), 0);
  // The kernel accepts deleting an absent destination of an existing flooding entry.
  EXPECT_TRUE(r.DeleteNeighbor(want[1]).ok());

  Neighbor moved = Fdb("02:00:00:00:00:01", "10.200.0.3");
  ASSERT_TRUE(r.DeleteNeighbor(moved).ok());
  Status again = r.DeleteNeighbor(moved);
  EXPECT_EQ(again.code(), Code::kNotFound);
  EXPECT_EQ(again.message(),
            "delete fdb 02:00:00:00:00:01 dst 10.200.0.3 dev egret.vx: no such fdb entry");
}

// An EIP is added deprecated: the kernel keeps choosing the node's own address as the source of
// what the node sends, even towards peers in the EIP's subnet (IPv6 prefers a longer prefix).
TEST(KernelRtnl, DeprecatedAddressIsNeverTheChosenSource) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeVxlanLab("deprecated");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  ASSERT_TRUE(r.AddAddress("eg-a0", Addr("fd00:202::11", 64)).ok());
  ASSERT_TRUE(r.AddAddress("eg-a0", Addr("fd00:202::200", 128), /*deprecated=*/true).ok());
  std::string route = Observe("ip -n " + lab->ns.name() + " -6 route get fd00:202::12");
  EXPECT_NE(route.find("src fd00:202::11"), std::string::npos) << route;
  std::string addr = Observe("ip -n " + lab->ns.name() + " -6 addr show dev eg-a0");
  EXPECT_NE(addr.find("fd00:202::200/128 scope global nodad deprecated"), std::string::npos)
      << addr;
  auto listed = r.ListAddresses("eg-a0");
  ASSERT_TRUE(listed.ok());
  bool found = false;
  for (const DeviceAddress& a : *listed) found |= a.address.ip == Ip("fd00:202::200");
  EXPECT_TRUE(found) << "a deprecated address is still listed (and so released later)";
}

TEST(KernelRtnl, ReplacesPermanentNeighbors) {
  SKIP_UNLESS_ROOT();
  auto lab = MakeVxlanLab("neigh");
  ASSERT_TRUE(lab);
  Rtnl& r = lab->rtnl;
  ASSERT_TRUE(r.AddAddress("eg-a0", Addr("fd00:200::1", 64)).ok());
  Neighbor v4{.device = "eg-a0",
              .ip = Ip("10.200.0.9"),
              .mac = Mac("02:00:00:00:00:09"),
              .fdb = false,
              .permanent = true};
  Neighbor v6{.device = "eg-a0",
              .ip = Ip("fd00:200::9"),
              .mac = Mac("02:00:00:00:00:99"),
              .fdb = false,
              .permanent = true};
  for (const Neighbor& n : {v4, v6, v4}) ASSERT_TRUE(r.ReplaceNeighbor(n).ok());
  auto listed = r.ListNeighbors("eg-a0", false);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(CountOf(*listed, v4), 1);
  EXPECT_EQ(CountOf(*listed, v6), 1);

  v4.mac = Mac("02:00:00:00:00:10");
  ASSERT_TRUE(r.ReplaceNeighbor(v4).ok());
  listed = r.ListNeighbors("eg-a0", false);
  EXPECT_EQ(CountOf(*listed, v4), 1) << "the MAC was replaced";
  std::string shown = Observe("ip -n " + lab->ns.name() + " neigh show dev eg-a0");
  EXPECT_NE(shown.find("10.200.0.9 lladdr 02:00:00:00:00:10 PERMANENT"), std::string::npos)
      << shown;

  ASSERT_TRUE(r.DeleteNeighbor(v4).ok());
  EXPECT_EQ(r.DeleteNeighbor(v4).code(), Code::kNotFound);
  Status no_ip = r.ReplaceNeighbor(Neighbor{
      .device = "eg-a0", .ip = std::nullopt, .mac = v4.mac, .fdb = false, .permanent = true});
  EXPECT_EQ(no_ip.code(), Code::kInvalid);
  EXPECT_NE(no_ip.message().find("a neighbour entry needs an IP address"), std::string::npos);
}

// A UDP socket bound to `ip`:`port` inside `ns` (sockets keep the namespace they were made in).
StatusOr<UniqueFd> BoundUdpSocket(const netns::NetNs& ns, const model::IpAddress& ip,
                                  uint16_t port) {
  UniqueFd fd;
  Status st = netns::RunIn(ns, [&]() -> Status {
    sockaddr_storage ss{};
    socklen_t len;
    if (ip.is_v4()) {
      auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
      sin->sin_family = AF_INET;
      sin->sin_port = htons(port);
      std::memcpy(&sin->sin_addr, ip.bytes().data(), 4);
      len = sizeof(sockaddr_in);
    } else {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons(port);
      std::memcpy(&sin6->sin6_addr, ip.bytes().data(), 16);
      len = sizeof(sockaddr_in6);
    }
    fd.reset(::socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return ErrnoError("socket", errno);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
      return ErrnoError("bind " + ip.ToString(), errno);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return fd;
}

// Sends one datagram from `from` (in a) to `to` (in b) and expects it to arrive, from `from`,
// within a deadline.
void ExpectDatagramCrosses(const Lab& a, const Lab& b, const model::IpAddress& from,
                           const model::IpAddress& to) {
  auto rx = BoundUdpSocket(b.ns.ns(), to, 5555);
  ASSERT_TRUE(rx.ok()) << rx.status().ToString();
  auto tx = BoundUdpSocket(a.ns.ns(), from, 0);
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  sockaddr_storage dst{};
  socklen_t dst_len = sizeof(dst);
  ASSERT_EQ(::getsockname(rx->get(), reinterpret_cast<sockaddr*>(&dst), &dst_len), 0);
  const std::string payload = "egret datagram";
  ASSERT_EQ(::sendto(tx->get(), payload.data(), payload.size(), 0,
                     reinterpret_cast<sockaddr*>(&dst), dst_len),
            static_cast<ssize_t>(payload.size()))
      << std::strerror(errno);
  pollfd p{.fd = rx->get(), .events = POLLIN, .revents = 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1) << "no datagram within 5 s";
  char buf[64];
  sockaddr_storage src{};
  socklen_t src_len = sizeof(src);
  ssize_t n =
      ::recvfrom(rx->get(), buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&src), &src_len);
  ASSERT_EQ(std::string(buf, n > 0 ? n : 0), payload);
  const void* src_bytes =
      from.is_v4() ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&src)->sin_addr)
                   : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&src)->sin6_addr);
  EXPECT_EQ(std::memcmp(src_bytes, from.bytes().data(), from.is_v4() ? 4 : 16), 0);
}

TEST(KernelRtnl, UdpDatagramCrossesVethBetweenNamespaces) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("udp-a");
  auto b = Lab::Make("udp-b");
  ASSERT_TRUE(a && b);
  for (Status st : {a->rtnl.CreateVeth("eg-a0", "eg-b0", b->ns.ns().fd()),
                    a->rtnl.AddAddress("eg-a0", Addr("10.201.0.1", 24)),
                    a->rtnl.AddAddress("eg-a0", Addr("fd00:201::1", 64)),
                    b->rtnl.AddAddress("eg-b0", Addr("10.201.0.2", 24)),
                    b->rtnl.AddAddress("eg-b0", Addr("fd00:201::2", 64)),
                    a->rtnl.SetLinkUp("eg-a0", true), b->rtnl.SetLinkUp("eg-b0", true)}) {
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  ExpectDatagramCrosses(*a, *b, Ip("10.201.0.1"), Ip("10.201.0.2"));
  // IPv6 works at once only because the addresses skip duplicate detection (IFA_F_NODAD).
  ExpectDatagramCrosses(*b, *a, Ip("fd00:201::2"), Ip("fd00:201::1"));
}

}  // namespace
}  // namespace egret::netlink
