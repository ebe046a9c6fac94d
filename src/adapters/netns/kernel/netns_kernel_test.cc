// The namespace adapter against the real kernel (root only): create/list/delete in /run/netns,
// running code inside a namespace without moving the caller, sysctls per namespace.
#include <gtest/gtest.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"

namespace egret::netns {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

ino_t InodeOf(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

ino_t CallerNamespaceInode() {
  struct stat st {};
  return ::stat("/proc/thread-self/ns/net", &st) == 0 ? st.st_ino : 0;
}

std::string UniqueName(const char* tag) {
  return "egt-" + std::to_string(::getpid()) + "-" + std::to_string(::random() & 0xffffff) + "-" +
         tag;
}

// Deletes a namespace created by name in a test, also when the test fails.
struct NameGuard {
  std::string name;
  ~NameGuard() { (void)Delete(name); }
};

TEST(KernelNetns, CreateListOpenDelete) {
  SKIP_UNLESS_ROOT();
  NameGuard guard{UniqueName("crud")};
  ASSERT_TRUE(Create(guard.name).ok());
  EXPECT_EQ(List(guard.name), std::vector<std::string>{guard.name});

  auto ns = NetNs::Open(guard.name);
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto self = NetNs::Current();
  ASSERT_TRUE(self.ok());
  EXPECT_NE(InodeOf(ns->fd()), InodeOf(self->fd()));

  Status again = Create(guard.name);
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  EXPECT_NE(again.message().find("already exists"), std::string::npos);

  ASSERT_TRUE(Delete(guard.name).ok());
  EXPECT_TRUE(List(guard.name).empty());
  EXPECT_EQ(NetNs::Open(guard.name).status().code(), Code::kNotFound);
  EXPECT_TRUE(Delete(guard.name).ok()) << "deleting an absent namespace is ok";
}

TEST(KernelNetns, RunDirIsASharedMountPoint) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("shared");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  bool shared = false;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, mount_point;
    fields >> id >> parent >> dev >> root >> mount_point;
    if (mount_point == "/run/netns" && line.find(" shared:") != std::string::npos) shared = true;
  }
  EXPECT_TRUE(shared) << "/run/netns must be a shared mount point, as iproute2 makes it";
}

TEST(KernelNetns, LoopbackIsUp) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("lo");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  short flags = 0;
  Status st = RunIn(tmp->ns(), [&]() -> Status {
    int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq req {};
    std::snprintf(req.ifr_name, IFNAMSIZ, "lo");
    int rc = ::ioctl(sock, SIOCGIFFLAGS, &req);
    ::close(sock);
    if (rc != 0) return InternalError("SIOCGIFFLAGS failed");
    flags = req.ifr_flags;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(flags & IFF_UP);
}

TEST(KernelNetns, RunInEntersNamespaceWithoutMovingCaller) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("runin");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  ino_t before = CallerNamespaceInode();
  ino_t inside = 0;
  Status st = RunIn(tmp->ns(), [&] {
    inside = CallerNamespaceInode();
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(inside, InodeOf(tmp->ns().fd()));
  EXPECT_EQ(CallerNamespaceInode(), before);
}

TEST(KernelNetns, RunInReturnsTheFunctionsStatus) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("status");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  Status st = RunIn(tmp->ns(), [] { return NotFoundError("no such thing"); });
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.message(), "no such thing");
}

TEST(KernelNetns, SysctlIsPerNamespace) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("sysctl");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  auto root = NetNs::Current();
  ASSERT_TRUE(root.ok());
  auto root_before = GetSysctl(*root, "net/ipv4/ip_forward");
  ASSERT_TRUE(root_before.ok()) << root_before.status().ToString();

  ASSERT_TRUE(SetSysctl(tmp->ns(), "net/ipv4/ip_forward", "1").ok());
  auto inside = GetSysctl(tmp->ns(), "net/ipv4/ip_forward");
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(*inside, "1");
  ASSERT_TRUE(SetSysctl(tmp->ns(), "net/ipv4/ip_forward", "0").ok());
  EXPECT_EQ(*GetSysctl(tmp->ns(), "net/ipv4/ip_forward"), "0");
  EXPECT_EQ(*GetSysctl(*root, "net/ipv4/ip_forward"), *root_before) << "root must not change";
}

TEST(KernelNetns, UnknownSysctlIsNotFound) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("nosysctl");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  Status st = SetSysctl(tmp->ns(), "net/ipv4/conf/nosuchdev/rp_filter", "2");
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_NE(st.message().find("set sysctl net/ipv4/conf/nosuchdev/rp_filter=2"), std::string::npos);
}

TEST(KernelNetns, TempNetNsIsDeletedOnDestruction) {
  SKIP_UNLESS_ROOT();
  std::string name;
  {
    auto tmp = TempNetNs::Create("temp");
    ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
    name = tmp->name();
    EXPECT_EQ(List(name).size(), 1u);
    TempNetNs moved = std::move(tmp).value();
    EXPECT_EQ(moved.name(), name);
  }
  EXPECT_TRUE(List(name).empty());
}

TEST(KernelNetns, IprouteSeesTheNamespace) {
  SKIP_UNLESS_ROOT();
  auto tmp = TempNetNs::Create("ip");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  // Observation only: `ip netns list` reads the same directory.
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen("ip netns list 2>&1", "r"), ::pclose);
  ASSERT_TRUE(p);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof(buf), p.get())) out += buf;
  EXPECT_NE(out.find(tmp->name()), std::string::npos) << out;
}

}  // namespace
}  // namespace egret::netns
