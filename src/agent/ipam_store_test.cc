#include "agent/ipam_store.h"

#include <gtest/gtest.h>


#include "agent/pod_network.h"

#include "common/temp_dir.h"

namespace egret::agent {
namespace {

model::Cidr Net(const char* s) { return *model::Cidr::Parse(s); }

class IpamStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<IpamStore> Open() {
    auto s = IpamStore::Open(dir_.File("ipam.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  TempDir dir_{"ipam"};
};

TEST_F(IpamStoreTest, AllocatesOneAddressPerFamilySkippingTheGateway) {
  auto s = Open();
  auto a = s->Allocate("c1", "eth0", "/run/netns/p", {Net("10.244.1.0/24"), Net("fd00::/64")});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].ip.ToString(), "10.244.1.2");
  EXPECT_EQ((*a)[1].ip.ToString(), "fd00::2");
}

TEST_F(IpamStoreTest, RepeatedAddReturnsTheSameAddresses) {
  auto s = Open();
  auto a = s->Allocate("c1", "eth0", "/n", {Net("10.244.1.0/24")});
  auto b = s->Allocate("c1", "eth0", "/n", {Net("10.244.1.0/24")});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].ip, (*b)[0].ip);
  EXPECT_EQ(s->All()->size(), 1u);
}

TEST_F(IpamStoreTest, ReleasedAddressIsNotReusedAtOnce) {
  auto s = Open();
  auto a = s->Allocate("c1", "eth0", "/n", {Net("10.244.1.0/24")});
  ASSERT_TRUE(s->Release("c1", "eth0").ok());
  auto b = s->Allocate("c2", "eth0", "/n", {Net("10.244.1.0/24")});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)[0].ip, (*b)[0].ip);
}

TEST_F(IpamStoreTest, SurvivesReopen) {
  {
    auto s = Open();
    ASSERT_TRUE(s->Allocate("c1", "eth0", "/n", {Net("10.244.1.0/24")}).ok());
  }
  auto s = Open();
  auto found = s->Find("c1", "eth0");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  auto next = s->Allocate("c2", "eth0", "/n", {Net("10.244.1.0/24")});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)[0].ip.ToString(), "10.244.1.3");
}

TEST_F(IpamStoreTest, FullCidrIsAClearErrorAndWritesNothing) {
  auto s = Open();
  ASSERT_TRUE(s->Allocate("c1", "eth0", "/n", {Net("10.244.1.0/30")}).ok());
  auto full = s->Allocate("c2", "eth0", "/n", {Net("10.244.1.0/30")});
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.status().message().find("10.244.1.0/30"), std::string::npos)
      << full.status().message();
  EXPECT_EQ(s->All()->size(), 1u);
}

TEST_F(IpamStoreTest, ReleaseOfUnknownIsOk) {
  auto s = Open();
  EXPECT_TRUE(s->Release("nope", "eth0").ok());
}

TEST(HostVethName, StableShortAndDistinct) {
  std::string a = HostVethName("abc", "eth0");
  EXPECT_EQ(a, HostVethName("abc", "eth0"));
  EXPECT_NE(a, HostVethName("abc", "eth1"));
  EXPECT_LE(a.size(), 15u);
  EXPECT_EQ(a.rfind("egret", 0), 0u);
}

}  // namespace
}  // namespace egret::agent
