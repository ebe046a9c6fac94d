// Candidate order: rendezvous scores, even spreading of first candidates, stability when nodes
// leave or join, and the failover walk of ActiveNode.
#include "core/egress/placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace egret::core::egress {
namespace {

using Previous = std::map<std::string, std::string, std::less<>>;
using Lists = std::vector<std::vector<std::string>>;

std::vector<std::string> Keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) keys.push_back("10.6.1." + std::to_string(21 + i));
  return keys;
}

Previous FirstsOf(const std::vector<std::string>& keys, const Lists& lists) {
  Previous p;
  for (size_t i = 0; i < keys.size(); ++i) p[keys[i]] = lists[i].front();
  return p;
}

std::map<std::string, int> Loads(const Lists& lists) {
  std::map<std::string, int> load;
  for (const auto& l : lists) ++load[l.front()];
  return load;
}

TEST(Rendezvous, ScoreIsFixedAndOrderIsAPermutation) {
  // Fixed values: a change of the hash would reshuffle every cluster's EIPs on upgrade.
  EXPECT_EQ(RendezvousScore("10.6.1.21", "node1"), RendezvousScore("10.6.1.21", "node1"));
  EXPECT_NE(RendezvousScore("10.6.1.21", "node1"), RendezvousScore("10.6.1.21", "node2"));
  EXPECT_NE(RendezvousScore("ab", "c"), RendezvousScore("a", "bc"));
  std::vector<std::string> nodes = {"n1", "n2", "n3", "n4"};
  std::vector<std::string> order = RendezvousOrder("10.6.1.21", nodes);
  std::vector<std::string> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, nodes);
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_GE(RendezvousScore("10.6.1.21", order[i - 1]), RendezvousScore("10.6.1.21", order[i]));
  }
}

TEST(PlaceUnits, ThreeEipsOnThreeNodesStartOnDifferentNodes) {
  std::vector<std::string> nodes = {"n1", "n2", "n3"};
  std::vector<std::string> keys = Keys(3);
  Lists lists = PlaceUnits(keys, nodes, {});
  std::set<std::string> firsts;
  for (const auto& l : lists) {
    EXPECT_EQ(l.size(), 3u);
    EXPECT_EQ(std::set<std::string>(l.begin(), l.end()).size(), 3u);  // every node once
    firsts.insert(l.front());
  }
  EXPECT_EQ(firsts.size(), 3u);
  EXPECT_EQ(PlaceUnits(keys, nodes, {}), lists);  // deterministic
}

TEST(PlaceUnits, ManyEipsSpreadEvenly) {
  std::vector<std::string> nodes = {"n1", "n2", "n3"};
  for (int n : {2, 4, 7, 10, 30}) {
    Lists lists = PlaceUnits(Keys(n), nodes, {});
    int cap = (n + 2) / 3;
    EXPECT_EQ(Loads(lists).size(), static_cast<size_t>(std::min(n, 3)));
    for (const auto& [node, load] : Loads(lists)) {
      EXPECT_LE(load, cap) << n << " keys, node " << node;
      EXPECT_GE(load, n / 3) << n << " keys, node " << node;
    }
  }
}

TEST(PlaceUnits, RemovingANodeMovesOnlyItsEips) {
  std::vector<std::string> keys = Keys(7);
  std::vector<std::string> nodes = {"n1", "n2", "n3"};
  Lists before = PlaceUnits(keys, nodes, {});
  for (const std::string& gone : nodes) {
    std::vector<std::string> rest;
    for (const std::string& n : nodes) {
      if (n != gone) rest.push_back(n);
    }
    Lists after = PlaceUnits(keys, rest, FirstsOf(keys, before));
    for (size_t i = 0; i < keys.size(); ++i) {
      if (before[i].front() != gone) {
        EXPECT_EQ(after[i].front(), before[i].front()) << keys[i] << " moved, " << gone << " gone";
      } else {
        EXPECT_NE(after[i].front(), gone);
      }
      EXPECT_EQ(after[i].size(), 2u);
    }
    for (const auto& [node, load] : Loads(after)) EXPECT_LE(load, 4);
  }
}

TEST(PlaceUnits, ANodeThatComesBackTakesBackOnlyWhatBalanceNeeds) {
  std::vector<std::string> keys = Keys(3);
  std::vector<std::string> all = {"n1", "n2", "n3"};
  Lists start = PlaceUnits(keys, all, {});
  const std::string gone = start[0].front();
  std::vector<std::string> rest;
  for (const std::string& n : all) {
    if (n != gone) rest.push_back(n);
  }
  Lists degraded = PlaceUnits(keys, rest, FirstsOf(keys, start));
  Lists back = PlaceUnits(keys, all, FirstsOf(keys, degraded));
  int moved = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (back[i].front() != degraded[i].front()) {
      ++moved;
      EXPECT_EQ(back[i].front(), gone);
    }
  }
  EXPECT_EQ(moved, 1);
  EXPECT_EQ(Loads(back).size(), 3u);  // balanced again: one each
}

TEST(PlaceUnits, AddingANodeKeepsPlacementsWithinBalance) {
  std::vector<std::string> keys = Keys(8);  // 3/3/2 on three nodes
  std::vector<std::string> three = {"n1", "n2", "n3"};
  Lists before = PlaceUnits(keys, three, {});
  std::vector<std::string> four = {"n1", "n2", "n3", "n4"};
  Lists after = PlaceUnits(keys, four, FirstsOf(keys, before));
  int moved = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (after[i].front() != before[i].front()) {
      ++moved;
      EXPECT_EQ(after[i].front(), "n4");
    }
  }
  EXPECT_EQ(moved, 2);  // the cap drops to 2: each node of 3 gives one
  for (const auto& [node, load] : Loads(after)) EXPECT_EQ(load, 2) << node;
}

TEST(PlaceUnits, PreviousOnUnknownNodeIsIgnoredAndNoNodesMeansNoCandidates) {
  std::vector<std::string> keys = Keys(2);
  std::vector<std::string> nodes = {"n1", "n2"};
  Previous prev = {{keys[0], "gone"}, {"other-key", "n1"}};
  EXPECT_EQ(PlaceUnits(keys, nodes, prev), PlaceUnits(keys, nodes, {}));
  Lists none = PlaceUnits(keys, {}, {});
  ASSERT_EQ(none.size(), 2u);
  EXPECT_TRUE(none[0].empty());
}

TEST(PlaceUnits, KeepsPreviousFirstEvenWhenHashingPrefersAnother) {
  std::vector<std::string> keys = Keys(1);
  std::vector<std::string> nodes = {"n1", "n2", "n3"};
  std::string preferred = RendezvousOrder(keys[0], nodes).front();
  std::string other = preferred == "n1" ? "n2" : "n1";
  Lists lists = PlaceUnits(keys, nodes, {{keys[0], other}});
  EXPECT_EQ(lists[0].front(), other);
  EXPECT_EQ(lists[0][1], preferred);  // then the rendezvous order of the rest
}

TEST(ActiveNode, FirstAliveCandidateInOrder) {
  std::vector<std::string> candidates = {"n2", "n3", "n1"};
  auto alive_except = [](std::set<std::string> dead) {
    return [dead](std::string_view n) { return !dead.count(std::string(n)); };
  };
  EXPECT_EQ(ActiveNode(candidates, alive_except({})), "n2");
  EXPECT_EQ(ActiveNode(candidates, alive_except({"n2"})), "n3");
  EXPECT_EQ(ActiveNode(candidates, alive_except({"n2", "n3"})), "n1");
  EXPECT_EQ(ActiveNode(candidates, alive_except({"n1", "n2", "n3"})), std::nullopt);
  EXPECT_EQ(ActiveNode({}, alive_except({})), std::nullopt);
}

}  // namespace
}  // namespace egret::core::egress
