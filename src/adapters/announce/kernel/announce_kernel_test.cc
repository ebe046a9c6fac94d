// Announce against the real kernel (root only): two throwaway namespaces joined by a veth; B
// holds a stale neighbour entry for the address with a wrong MAC, A announces the address, and
// B's entry must switch to A's MAC. `ip` only builds the lab and observes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/announce/announce.h"
#include "adapters/announce/frames.h"
#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "common/unique_fd.h"
#include "model/kernel.h"

namespace egret::announce {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces and a veth"

constexpr char kWrongMac[] = "02:00:00:00:00:01";

// Output of a shell command with its exit status (lab set-up and observation only).
struct Result {
  int rc = -1;
  std::string out;
};
Result Shell(const std::string& command) {
  Result r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  while (std::fgets(buf, sizeof(buf), p)) r.out += buf;
  r.rc = ::pclose(p);
  return r;
}

// Polls `done` until it holds or `timeout` passes: a condition with a deadline, not a sleep.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// "vA" in A and "vB" in B, both up with carrier; B has 10.77.0.2/24 so that 10.77.0.1 is on
// link there (Linux only takes gratuitous ARP for unicast-routed senders).
struct Lab {
  netns::TempNetNs a;
  netns::TempNetNs b;
  std::string mac_a;

  static std::unique_ptr<Lab> Make() {
    auto a = netns::TempNetNs::Create("annA");
    auto b = netns::TempNetNs::Create("annB");
    if (!a.ok() || !b.ok()) {
      ADD_FAILURE() << a.status().ToString() << " / " << b.status().ToString();
      return nullptr;
    }
    auto lab = std::unique_ptr<Lab>(new Lab{std::move(a).value(), std::move(b).value(), ""});
    const std::string na = "ip -n " + lab->a.name() + " ", nb = "ip -n " + lab->b.name() + " ";
    for (const std::string& cmd :
         {na + "link add vA type veth peer name vB netns " + lab->b.name(), na + "link set vA up",
          nb + "link set vB up", nb + "addr add 10.77.0.2/24 dev vB"}) {
      Result r = Shell(cmd);
      if (r.rc != 0) {
        ADD_FAILURE() << cmd << ": " << r.out;
        return nullptr;
      }
    }
    // Frames sent before the kernel activates the device's queue (on carrier) are dropped.
    bool up = WaitFor([&] {
      return Shell(na + "link show dev vA").out.find("state UP") != std::string::npos &&
             Shell(nb + "link show dev vB").out.find("state UP") != std::string::npos;
    });
    if (!up) ADD_FAILURE() << "veth did not come up";
    lab->mac_a = lab->LinkMac();
    return up && !lab->mac_a.empty() ? std::move(lab) : nullptr;
  }

  std::string LinkMac() {
    const std::string out = Shell("ip -n " + a.name() + " link show dev vA").out;
    const size_t at = out.find("link/ether ");
    return at == std::string::npos ? "" : out.substr(at + 11, 17);
  }

  // B's neighbour entry for `ip`: "IP dev vB lladdr MAC STATE", or what ip printed.
  std::string NeighbourInB(const std::string& ip) {
    return Shell("ip -n " + b.name() + " neigh show " + ip + " dev vB").out;
  }
};

void ExpectTakeover(const std::string& ip_text) {
  auto lab = Lab::Make();
  ASSERT_NE(lab, nullptr);
  Result r = Shell("ip -n " + lab->b.name() + " neigh replace " + ip_text + " lladdr " +
                 kWrongMac + " dev vB nud stale");
  ASSERT_EQ(r.rc, 0) << r.out;
  ASSERT_NE(lab->NeighbourInB(ip_text).find(kWrongMac), std::string::npos);

  const model::IpAddress ip = model::IpAddress::Parse(ip_text).value();
  Status sent = netns::RunIn(lab->a.ns(), [&] { return Announce("vA", ip, 1); });
  ASSERT_TRUE(sent.ok()) << sent.ToString();

  EXPECT_TRUE(WaitFor([&] {
    return lab->NeighbourInB(ip_text).find("lladdr " + lab->mac_a) != std::string::npos;
  })) << "B still has: " << lab->NeighbourInB(ip_text) << "(A's MAC is " << lab->mac_a << ")";
}

TEST(KernelAnnounce, GratuitousArpMovesStaleNeighbourToNewMac) {
  SKIP_UNLESS_ROOT();
  ExpectTakeover("10.77.0.1");
}

TEST(KernelAnnounce, UnsolicitedNaMovesStaleNeighbourToNewMac) {
  SKIP_UNLESS_ROOT();
  ExpectTakeover("fd77::1");
}

// A packet socket in B that receives every ARP frame arriving on vB, opened before A sends.
UniqueFd ArpListener(const netns::NetNs& ns) {
  UniqueFd fd;
  Status s = netns::RunIn(ns, [&] {
    fd.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP)));
    if (!fd.valid()) return ErrnoError("socket", errno);
    sockaddr_ll at{};
    at.sll_family = AF_PACKET;
    at.sll_protocol = htons(ETH_P_ARP);
    at.sll_ifindex = static_cast<int>(::if_nametoindex("vB"));
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&at), sizeof(at)) != 0) {
      return ErrnoError("bind", errno);
    }
    timeval tv{.tv_sec = 0, .tv_usec = 200 * 1000};  // bounds each recv; the loop has a deadline
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return fd;
}

TEST(KernelAnnounce, SendsCountFramesExactlyAsBuilt) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Make();
  ASSERT_NE(lab, nullptr);
  UniqueFd listener = ArpListener(lab->b.ns());
  ASSERT_TRUE(listener.valid());
  const model::IpAddress ip = model::IpAddress::Parse("10.77.0.1").value();
  Status sent = netns::RunIn(lab->a.ns(), [&] { return Announce("vA", ip, 3); });
  ASSERT_TRUE(sent.ok()) << sent.ToString();

  const std::vector<uint8_t> expected = BuildGratuitousArp(*model::ParseMac(lab->mac_a), ip);
  int matching = 0;
  WaitFor([&] {
    uint8_t buf[2048];
    ssize_t n = ::recv(listener.get(), buf, sizeof(buf), 0);
    if (n > 0 && std::vector<uint8_t>(buf, buf + n) == expected) ++matching;
    return matching >= 3;
  });
  EXPECT_EQ(matching, 3) << "gratuitous ARP frames received in B, byte for byte as built";
}

TEST(KernelAnnounce, DownDeviceIsFailedPrecondition) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Make();
  ASSERT_NE(lab, nullptr);
  ASSERT_EQ(Shell("ip -n " + lab->a.name() + " link set vA down").rc, 0);
  const model::IpAddress ip = model::IpAddress::Parse("fd77::1").value();
  Status sent = netns::RunIn(lab->a.ns(), [&] { return Announce("vA", ip, 1); });
  EXPECT_EQ(sent.code(), Code::kFailedPrecondition) << sent.ToString();
  EXPECT_NE(sent.message().find("announce fd77::1 on device \"vA\": device is down"),
            std::string::npos)
      << sent.message();
}

TEST(KernelAnnounce, LoopbackIsNotEthernet) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("annLo");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  const model::IpAddress ip = model::IpAddress::Parse("10.77.0.1").value();
  Status sent = netns::RunIn(ns->ns(), [&] { return Announce("lo", ip, 1); });
  EXPECT_EQ(sent.code(), Code::kFailedPrecondition) << sent.ToString();
  EXPECT_NE(sent.message().find("not an Ethernet device"), std::string::npos) << sent.message();
}

}  // namespace
}  // namespace egret::announce
