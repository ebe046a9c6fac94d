#include "core/liveness/liveness_tracker.h"

#include <gtest/gtest.h>

namespace egret::liveness {
namespace {

constexpr uint64_t kBoot = 0xb001;

// interval 100 ms, dead after 3 missed beats (> 300 ms silent), hold-down 1000 ms.
LivenessTracker NewTracker(int64_t hold_down_ms = 1000) {
  auto t =
      LivenessTracker::Create({.interval_ms = 100, .miss_count = 3, .hold_down_ms = hold_down_ms});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(*t);
}

// Beats from `peer` every 100 ms in [from_ms, to_ms], sequences continuing from *seq.
void BeatEvery100(LivenessTracker& t, int64_t from_ms, int64_t to_ms, uint64_t* seq,
                  uint64_t boot = kBoot, const char* peer = "gw-a") {
  for (int64_t now = from_ms; now <= to_ms; now += 100) t.Observe(peer, now, ++*seq, boot);
}

TEST(LivenessConfig, RejectsNonPositiveIntervalZeroMissesNegativeHoldDown) {
  auto a = LivenessTracker::Create({.interval_ms = 0});
  EXPECT_EQ(a.status().code(), Code::kInvalid);
  EXPECT_NE(a.status().message().find("interval_ms is 0, must be > 0"), std::string::npos);
  auto b = LivenessTracker::Create({.miss_count = 0});
  EXPECT_NE(b.status().message().find("miss_count is 0, must be >= 1"), std::string::npos);
  auto c = LivenessTracker::Create({.hold_down_ms = -1});
  EXPECT_NE(c.status().message().find("hold_down_ms is -1, must be >= 0"), std::string::npos);
  EXPECT_TRUE(LivenessTracker::Create({.hold_down_ms = 0}).ok());
}

TEST(LivenessTracker, FirstBeatMakesPeerAliveAtOnce) {
  auto t = NewTracker();
  EXPECT_EQ(t.StateOf("gw-a"), PeerState::kUnknown);
  EXPECT_TRUE(t.Observe("gw-a", 1000, 1, kBoot));
  LivenessReport r = t.Evaluate(1000);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kAlive);
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(
      r.transitions[0],
      (Transition{
          .peer = "gw-a", .from = PeerState::kUnknown, .to = PeerState::kAlive, .at_ms = 1000}));
  EXPECT_TRUE(t.Evaluate(1000).transitions.empty()) << "transitions are reported once";
}

TEST(LivenessTracker, DeadOnlyAfterMissWindow) {
  auto t = NewTracker();
  t.Observe("gw-a", 0, 1, kBoot);
  t.Evaluate(0);
  EXPECT_EQ(t.Evaluate(300).states.at("gw-a"), PeerState::kAlive) << "exactly 3 intervals";
  LivenessReport r = t.Evaluate(301);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kDead);
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.transitions[0].from, PeerState::kAlive);
  EXPECT_EQ(r.transitions[0].to, PeerState::kDead);
  EXPECT_EQ(r.transitions[0].at_ms, 301);
}

TEST(LivenessTracker, SteadyBeatsStayAlive) {
  auto t = NewTracker();
  uint64_t seq = 0;
  BeatEvery100(t, 0, 5000, &seq);
  LivenessReport r = t.Evaluate(5250);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kAlive);
  EXPECT_EQ(r.transitions.size(), 1u);  // only Unknown → Alive
}

TEST(LivenessTracker, ReturningPeerIsHeldDownThenAlive) {
  auto t = NewTracker();
  uint64_t seq = 0;
  t.Observe("gw-a", 0, ++seq, kBoot);
  t.Evaluate(0);
  EXPECT_EQ(t.Evaluate(1000).states.at("gw-a"), PeerState::kDead);
  BeatEvery100(t, 2000, 2900, &seq);
  LivenessReport held = t.Evaluate(2950);
  EXPECT_EQ(held.states.at("gw-a"), PeerState::kHoldDown) << "900 ms of beats";
  ASSERT_EQ(held.transitions.size(), 1u);
  EXPECT_EQ(
      held.transitions[0],
      (Transition{
          .peer = "gw-a", .from = PeerState::kDead, .to = PeerState::kHoldDown, .at_ms = 2000}));
  t.Observe("gw-a", 3000, ++seq, kBoot);
  LivenessReport r = t.Evaluate(3000);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kAlive);
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.transitions[0].from, PeerState::kHoldDown);
  EXPECT_EQ(r.transitions[0].to, PeerState::kAlive);
}

TEST(LivenessTracker, LostBeatRestartsHoldDown) {
  auto t = NewTracker();
  uint64_t seq = 0;
  t.Observe("gw-a", 0, ++seq, kBoot);
  t.Evaluate(1000);  // Dead
  BeatEvery100(t, 2000, 2500, &seq);
  BeatEvery100(t, 2750, 3700, &seq);  // 250 ms gap: a beat lost, but not Dead
  EXPECT_EQ(t.Evaluate(3700).states.at("gw-a"), PeerState::kHoldDown);
  t.Observe("gw-a", 3800, ++seq, kBoot);  // 1050 ms since 2750
  EXPECT_EQ(t.Evaluate(3800).states.at("gw-a"), PeerState::kAlive);
}

TEST(LivenessTracker, HeldDownPeerIsNotPromotedDuringSilence) {
  auto t = NewTracker();
  uint64_t seq = 0;
  t.Observe("gw-a", 0, ++seq, kBoot);
  t.Evaluate(1000);
  BeatEvery100(t, 2000, 2900, &seq);  // 900 ms of beats, then silence
  EXPECT_EQ(t.Evaluate(3000).states.at("gw-a"), PeerState::kHoldDown)
      << "1000 ms since the first beat, but silence does not count as beating";
  EXPECT_EQ(t.Evaluate(3200).states.at("gw-a"), PeerState::kHoldDown);
  EXPECT_EQ(t.Evaluate(3201).states.at("gw-a"), PeerState::kDead);
}

TEST(LivenessTracker, BeatAfterSilenceWithoutEvaluateIsAReturn) {
  auto t = NewTracker();
  t.Observe("gw-a", 0, 1, kBoot);
  t.Observe("gw-a", 5000, 2, kBoot);
  LivenessReport r = t.Evaluate(5000);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kHoldDown);
  ASSERT_EQ(r.transitions.size(), 3u);
  EXPECT_EQ(r.transitions[1].to, PeerState::kDead);
  EXPECT_EQ(r.transitions[2].to, PeerState::kHoldDown);
}

TEST(LivenessTracker, NewBootIdIsAReturnEvenWithoutSilence) {
  auto t = NewTracker();
  uint64_t seq = 0;
  BeatEvery100(t, 0, 1000, &seq);
  t.Evaluate(1000);
  EXPECT_TRUE(t.Observe("gw-a", 1100, 1, 0xb002));
  LivenessReport r = t.Evaluate(1100);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kHoldDown);
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.transitions[0].from, PeerState::kAlive);
  seq = 1;
  BeatEvery100(t, 1200, 2100, &seq, 0xb002);
  EXPECT_EQ(t.Evaluate(2100).states.at("gw-a"), PeerState::kAlive);
}

TEST(LivenessTracker, LateBeatOfReplacedBootIsDropped) {
  auto t = NewTracker();
  t.Observe("gw-a", 0, 7, kBoot);
  t.Observe("gw-a", 50, 1, 0xb002);
  EXPECT_FALSE(t.Observe("gw-a", 60, 8, kBoot)) << "old boot, even with a higher sequence";
  EXPECT_TRUE(t.Observe("gw-a", 150, 2, 0xb002));
}

TEST(LivenessTracker, DuplicateAndReorderedSequencesIgnored) {
  auto t = NewTracker();
  EXPECT_TRUE(t.Observe("gw-a", 0, 5, kBoot));
  EXPECT_FALSE(t.Observe("gw-a", 250, 5, kBoot)) << "duplicate";
  EXPECT_FALSE(t.Observe("gw-a", 250, 4, kBoot)) << "reordered";
  EXPECT_EQ(t.Evaluate(301).states.at("gw-a"), PeerState::kDead)
      << "ignored beats do not keep a peer alive";
  EXPECT_TRUE(t.Observe("gw-a", 400, 6, kBoot));
}

TEST(LivenessTracker, ZeroHoldDownReturnsAtOnce) {
  auto t = NewTracker(/*hold_down_ms=*/0);
  t.Observe("gw-a", 0, 1, kBoot);
  t.Evaluate(1000);
  t.Observe("gw-a", 2000, 2, kBoot);
  LivenessReport r = t.Evaluate(2000);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kAlive);
  ASSERT_EQ(r.transitions.size(), 2u);
  EXPECT_EQ(r.transitions[0].to, PeerState::kHoldDown);
}

TEST(LivenessTracker, PeersAreIndependent) {
  auto t = NewTracker();
  uint64_t a = 0, b = 0;
  BeatEvery100(t, 0, 1000, &a, kBoot, "gw-a");
  BeatEvery100(t, 0, 300, &b, kBoot, "gw-b");
  LivenessReport r = t.Evaluate(1000);
  EXPECT_EQ(r.states.at("gw-a"), PeerState::kAlive);
  EXPECT_EQ(r.states.at("gw-b"), PeerState::kDead);
}

TEST(LivenessTracker, ClockGoingBackwardsIsNoTimePassing) {
  auto t = NewTracker();
  t.Observe("gw-a", 1000, 1, kBoot);
  EXPECT_EQ(t.Evaluate(500).states.at("gw-a"), PeerState::kAlive);
  EXPECT_TRUE(t.Observe("gw-a", 900, 2, kBoot));
  EXPECT_EQ(t.Evaluate(1300).states.at("gw-a"), PeerState::kAlive);
  EXPECT_EQ(t.Evaluate(1301).states.at("gw-a"), PeerState::kDead);
}

TEST(PeerStateName, NamesEveryState) {
  EXPECT_EQ(PeerStateName(PeerState::kHoldDown), "HoldDown");
  EXPECT_EQ(PeerStateName(PeerState::kDead), "Dead");
}

}  // namespace
}  // namespace egret::liveness
