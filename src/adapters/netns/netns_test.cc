// Unit tests of the namespace adapter that need no root: names, paths, and opening files that
// are not namespaces.
#include "adapters/netns/netns.h"

#include <gtest/gtest.h>

namespace egret::netns {
namespace {

TEST(NetnsName, AcceptsPlainFileName) {
  EXPECT_TRUE(ValidateName("egt-1-node-a").ok());
  EXPECT_TRUE(ValidateName(std::string(255, 'a')).ok());
}

TEST(NetnsName, RejectsEmpty) {
  Status st = ValidateName("");
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("must not be empty"), std::string::npos);
}

TEST(NetnsName, RejectsSlashAndDots) {
  for (const char* bad : {"a/b", ".", ".."}) {
    Status st = ValidateName(bad);
    EXPECT_EQ(st.code(), Code::kInvalid) << bad;
    EXPECT_NE(st.message().find("must be a plain file name"), std::string::npos) << bad;
  }
}

TEST(NetnsName, RejectsTooLong) {
  Status st = ValidateName(std::string(256, 'a'));
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("longer than 255 bytes"), std::string::npos);
}

TEST(NetnsPath, NameGoesToRunDir) {
  EXPECT_EQ(PathFor("blue"), "/run/netns/blue");
  EXPECT_EQ(PathFor("/proc/1/ns/net"), "/proc/1/ns/net");
}

TEST(NetnsOpen, MissingNameIsNotFound) {
  auto ns = NetNs::Open("egret-no-such-namespace-for-sure");
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.status().code(), Code::kNotFound);
  EXPECT_NE(ns.status().message().find("/run/netns/egret-no-such-namespace-for-sure"),
            std::string::npos);
}

TEST(NetnsOpen, BadNameIsInvalid) {
  auto ns = NetNs::Open("..");
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.status().code(), Code::kInvalid);
}

TEST(NetnsOpen, OrdinaryFileIsNotANamespace) {
  auto ns = NetNs::Open("/proc/self/status");
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.status().code(), Code::kInvalid);
  EXPECT_NE(ns.status().message().find("is not a network namespace file"), std::string::npos);
}

TEST(NetnsOpen, CurrentIsANetworkNamespace) {
  auto ns = NetNs::Current();
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  EXPECT_GE(ns->fd(), 0);
  EXPECT_EQ(ns->path(), "/proc/thread-self/ns/net");
}

TEST(NetnsSysctl, KeyMustBeAPathBelowProcSys) {
  auto ns = NetNs::Current();
  ASSERT_TRUE(ns.ok());
  for (const char* bad : {"", "/proc/sys/net/ipv4/ip_forward", "net/../../etc/passwd", "a b"}) {
    Status st = SetSysctl(*ns, bad, "1");
    EXPECT_EQ(st.code(), Code::kInvalid) << bad;
    EXPECT_NE(st.message().find("must be a path below /proc/sys"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace egret::netns
