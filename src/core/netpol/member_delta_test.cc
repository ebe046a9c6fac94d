// Member deltas: produced only for membership changes, applied exactly, refused when they do
// not fit the state they are applied to.
#include "core/netpol/member_delta.h"

#include <gtest/gtest.h>

#include "doc/json.h"

namespace egret::core::netpol {
namespace {

model::IpAddress Ip(const char* s) { return *model::IpAddress::Parse(s); }

NodePolicyState Base() {
  NodePolicyState s;
  s.node = "n1";
  s.address_sets.push_back({"a1", "pods ns=x", {Ip("10.244.1.5"), Ip("10.244.2.9")}});
  s.address_sets.push_back({"a2", "pods ns=y", {Ip("10.244.3.4")}});
  s.port_sets.push_back({"n1", "port serve-80-tcp", {{Ip("10.244.2.9"), model::Protocol::kTCP, 80}}});
  return s;
}

TEST(MemberDeltaTest, OnlyTheChangedSetsWithTheirAddedAndRemovedMembers) {
  NodePolicyState prev = Base(), next = Base();
  next.address_sets[0].members = {Ip("10.244.1.5"), Ip("10.244.2.10"), Ip("10.244.2.11")};
  next.port_sets[0].members.push_back({Ip("10.244.2.11"), model::Protocol::kTCP, 80});
  auto delta = EncodeMemberDelta(prev, next);
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(doc::ToJson(*delta),
            R"({"addressSets":[{"name":"a1","add":["10.244.2.10","10.244.2.11"],)"
            R"("remove":["10.244.2.9"]}],"portSets":[{"name":"n1","add":["10.244.2.11 TCP 80"],)"
            R"("remove":[]}]})");
  auto applied = ApplyMemberDelta(prev, *delta);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, next);
}

TEST(MemberDeltaTest, NoDeltaForEqualStatesOrOtherChanges) {
  NodePolicyState prev = Base();
  EXPECT_FALSE(EncodeMemberDelta(prev, prev).has_value());
  NodePolicyState more_sets = Base();
  more_sets.address_sets.push_back({"a3", "pods ns=z", {}});
  EXPECT_FALSE(EncodeMemberDelta(prev, more_sets).has_value());
  NodePolicyState own_pod = Base();
  own_pod.node_pods.push_back({"x", "a", {Ip("10.244.1.5")}});
  EXPECT_FALSE(EncodeMemberDelta(prev, own_pod).has_value());
}

TEST(MemberDeltaTest, ADeltaMadeForAnotherStateIsRefused) {
  NodePolicyState prev = Base(), next = Base();
  next.address_sets[1].members.clear();
  auto delta = EncodeMemberDelta(prev, next);
  ASSERT_TRUE(delta.has_value());
  // Applied twice: the member to remove is gone the second time.
  auto once = ApplyMemberDelta(prev, *delta);
  ASSERT_TRUE(once.ok());
  auto twice = ApplyMemberDelta(*once, *delta);
  EXPECT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("addressSets[0].remove"), std::string::npos)
      << twice.status().message();
  auto bad = doc::ParseJson(R"({"addressSets":[{"name":"zz","add":[],"remove":[]}]})");
  EXPECT_FALSE(ApplyMemberDelta(prev, *bad).ok());
  auto junk = doc::ParseJson(R"({"addressSets":[{"name":"a1","add":["nope"],"remove":[]}]})");
  EXPECT_FALSE(ApplyMemberDelta(prev, *junk).ok());
}

}  // namespace
}  // namespace egret::core::netpol
