// The heartbeat socket and the liveness tracker against the real kernel (root only): two
// throwaway namespaces joined by a veth, beats flowing A → B, A stopping and restarting.
// Waits are for conditions with a deadline; no assertion depends on how fast anything is.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/heartbeat/heartbeat_socket.h"
#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "core/liveness/liveness_tracker.h"

namespace egret::heartbeat {
namespace {

using liveness::LivenessTracker;
using liveness::PeerState;
using liveness::Transition;
using std::chrono::milliseconds;

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

constexpr uint16_t kPort = 7946;
constexpr milliseconds kDeadline{10000};

int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Endpoint Ep(const char* ip, uint16_t port = kPort) { return {*model::IpAddress::Parse(ip), port}; }

bool Ip(const std::string& args) {
  return std::system(("ip " + args + " >/dev/null").c_str()) == 0;
}

// Namespaces A (10.213.0.1, fd00:213::1) and B (10.213.0.2, fd00:213::2) on one veth. The
// namespaces, and with them the veth, go away with the object, also when a test fails.
struct Lab {
  netns::TempNetNs a;
  netns::TempNetNs b;

  static std::optional<Lab> Create() {
    auto a = netns::TempNetNs::Create("hb-a");
    auto b = netns::TempNetNs::Create("hb-b");
    if (!a.ok() || !b.ok()) return std::nullopt;
    Lab lab{std::move(*a), std::move(*b)};
    const std::string na = lab.a.name(), nb = lab.b.name();
    bool ok = Ip("-n " + na + " link add hb0 type veth peer name hb0 netns " + nb) &&
              Ip("-n " + na + " addr add 10.213.0.1/30 dev hb0") &&
              Ip("-n " + nb + " addr add 10.213.0.2/30 dev hb0") &&
              Ip("-n " + na + " addr add fd00:213::1/64 dev hb0 nodad") &&
              Ip("-n " + nb + " addr add fd00:213::2/64 dev hb0 nodad") &&
              Ip("-n " + na + " link set hb0 up") && Ip("-n " + nb + " link set hb0 up");
    if (!ok) return std::nullopt;
    return lab;
  }
};

// Binds a heartbeat socket inside `ns` (the socket stays in that namespace).
StatusOr<HeartbeatSocket> BindIn(const netns::TempNetNs& ns, const Endpoint& local,
                                 const std::string& node) {
  std::optional<HeartbeatSocket> sock;
  Status s = netns::RunIn(ns.ns(), [&]() -> Status {
    ASSIGN_OR_RETURN(uint64_t boot, NewBootId());
    ASSIGN_OR_RETURN(HeartbeatSocket bound, HeartbeatSocket::Bind(local, {node, boot}));
    sock.emplace(std::move(bound));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*sock);
}

// B's side of the failover loop: receives beats into a tracker, while (optionally) A sends one
// beat per interval. Records every transition and the source of the last beat.
struct Observer {
  LivenessTracker tracker;
  HeartbeatSocket* receiver;
  std::vector<Transition> transitions;
  std::optional<Endpoint> last_source;

  // Runs until `done` holds or the deadline passes; returns whether `done` held.
  bool RunUntil(HeartbeatSocket* sender, const Endpoint& to, const std::function<bool()>& done) {
    const int64_t interval = tracker.config().interval_ms;
    const int64_t deadline = NowMs() + kDeadline.count();
    int64_t next_send = NowMs();
    while (NowMs() < deadline) {
      int64_t now = NowMs();
      if (sender != nullptr && now >= next_send) {
        EXPECT_TRUE(sender->SendTo({&to, 1}).ok());
        next_send = now + interval;
      }
      auto beats = receiver->Receive(milliseconds(std::max<int64_t>(1, next_send - now)));
      EXPECT_TRUE(beats.ok()) << beats.status().ToString();
      now = NowMs();
      for (const ReceivedBeat& r : beats.ok() ? *beats : std::vector<ReceivedBeat>{}) {
        tracker.Observe(r.beat.node, now, r.beat.sequence, r.beat.boot_id);
        last_source = r.source;
      }
      auto report = tracker.Evaluate(now);
      transitions.insert(transitions.end(), report.transitions.begin(), report.transitions.end());
      if (done()) return true;
    }
    return false;
  }
  bool Saw(PeerState from, PeerState to) const {
    for (const auto& t : transitions) {
      if (t.from == from && t.to == to) return true;
    }
    return false;
  }
};

TEST(KernelHeartbeat, DeadAfterSenderStopsHeldDownAfterRestart) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Create();
  ASSERT_TRUE(lab.has_value()) << "could not build the two-namespace lab";
  auto sender = BindIn(lab->a, Ep("10.213.0.1"), "node-a");
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  auto receiver = BindIn(lab->b, Ep("::"), "node-b");  // dual stack, hears IPv4 peers
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  auto tracker = LivenessTracker::Create({.interval_ms = 50, .miss_count = 3, .hold_down_ms = 500});
  ASSERT_TRUE(tracker.ok());
  Observer b{std::move(*tracker), &*receiver, {}, {}};
  const Endpoint to_b = Ep("10.213.0.2");
  auto state = [&] { return b.tracker.StateOf("node-a"); };

  ASSERT_TRUE(b.RunUntil(&*sender, to_b, [&] { return state() == PeerState::kAlive; }));
  ASSERT_TRUE(b.last_source.has_value());
  EXPECT_EQ(b.last_source->address.ToString(), "10.213.0.1") << "mapped source shown as IPv4";
  EXPECT_EQ(b.last_source->port, kPort);

  // A stops: B must declare it Dead once the miss window passes.
  ASSERT_TRUE(b.RunUntil(nullptr, to_b, [&] { return state() == PeerState::kDead; }));
  EXPECT_TRUE(b.Saw(PeerState::kAlive, PeerState::kDead));

  // A restarts (new socket, new boot id): held down first, then Alive.
  sender = StatusOr<HeartbeatSocket>(InternalError("closed"));  // frees the port first
  auto restarted = BindIn(lab->a, Ep("10.213.0.1"), "node-a");
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  b.transitions.clear();
  ASSERT_TRUE(b.RunUntil(&*restarted, to_b, [&] { return state() == PeerState::kAlive; }));
  ASSERT_GE(b.transitions.size(), 2u);
  EXPECT_EQ(b.transitions.front().from, PeerState::kDead);
  EXPECT_EQ(b.transitions.front().to, PeerState::kHoldDown);
  EXPECT_EQ(b.transitions.back().from, PeerState::kHoldDown);
  EXPECT_EQ(b.transitions.back().to, PeerState::kAlive);
  EXPECT_EQ(receiver->malformed_count(), 0u);
}

TEST(KernelHeartbeat, BeatsFlowOverIpv6) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Create();
  ASSERT_TRUE(lab.has_value()) << "could not build the two-namespace lab";
  auto sender = BindIn(lab->a, Ep("fd00:213::1"), "node-a");
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  auto receiver = BindIn(lab->b, Ep("fd00:213::2"), "node-b");
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  auto tracker = LivenessTracker::Create({});
  ASSERT_TRUE(tracker.ok());
  Observer b{std::move(*tracker), &*receiver, {}, {}};
  ASSERT_TRUE(b.RunUntil(&*sender, Ep("fd00:213::2"),
                         [&] { return b.tracker.StateOf("node-a") == PeerState::kAlive; }));
  EXPECT_EQ(b.last_source->address.ToString(), "fd00:213::1");
}

TEST(KernelHeartbeat, MalformedDatagramsAreDroppedAndCounted) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Create();
  ASSERT_TRUE(lab.has_value()) << "could not build the two-namespace lab";
  auto receiver = BindIn(lab->b, Ep("10.213.0.2"), "node-b");
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  Status sent = netns::RunIn(lab->a.ns(), [] {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return ErrnoError("socket", errno);
    sockaddr_in to{.sin_family = AF_INET, .sin_port = htons(kPort), .sin_addr = {}, .sin_zero = {}};
    to.sin_addr.s_addr = htonl(0x0ad50002);  // 10.213.0.2
    std::string junk = "not a heartbeat";
    std::string oversized(100, 'x');
    for (const std::string* d : {&junk, &oversized}) {
      ::sendto(fd, d->data(), d->size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    }
    ::close(fd);
    return Status::Ok();
  });
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  const int64_t deadline = NowMs() + kDeadline.count();
  while (receiver->malformed_count() < 2 && NowMs() < deadline) {
    auto beats = receiver->Receive(milliseconds(100));
    ASSERT_TRUE(beats.ok());
    EXPECT_TRUE(beats->empty());
  }
  EXPECT_EQ(receiver->malformed_count(), 2u);
}

TEST(KernelHeartbeat, BindFailsForAnAddressNotInTheNamespace) {
  SKIP_UNLESS_ROOT();
  auto lab = Lab::Create();
  ASSERT_TRUE(lab.has_value()) << "could not build the two-namespace lab";
  auto s = BindIn(lab->a, Ep("10.213.0.2"), "node-a");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("bind 10.213.0.2:7946"), std::string::npos);
}

}  // namespace
}  // namespace egret::heartbeat
