// Helpers for the rtnetlink kernel tests (test-only): a throwaway namespace with an Rtnl bound to
// it, and running `ip` to observe (never to set up) what the code under test did.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "adapters/netlink/rtnl.h"
#include "adapters/netns/temp_netns.h"

namespace egret::netlink::testing {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: programs the kernel in throwaway namespaces"

// A namespace that is deleted with the object, and an Rtnl inside it.
struct Lab {
  netns::TempNetNs ns;
  Rtnl rtnl;

  static std::unique_ptr<Lab> Make(std::string_view tag) {
    auto ns = netns::TempNetNs::Create(tag);
    if (!ns.ok()) {
      ADD_FAILURE() << ns.status().ToString();
      return nullptr;
    }
    auto rtnl = Rtnl::Open(&ns->ns());
    if (!rtnl.ok()) {
      ADD_FAILURE() << rtnl.status().ToString();
      return nullptr;
    }
    return std::unique_ptr<Lab>(new Lab{std::move(ns).value(), std::move(rtnl).value()});
  }
};

// Output of a shell command (observation only).
inline std::string Observe(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
  std::string out;
  if (!p) return out;
  char buf[512];
  while (std::fgets(buf, sizeof(buf), p.get())) out += buf;
  return out;
}

inline model::IpAddress Ip(std::string_view text) {
  auto ip = model::IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(model::IpAddress());
}

inline model::Cidr Net(std::string_view text) {
  auto c = model::Cidr::Parse(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(model::Cidr());
}

inline model::InterfaceAddress Addr(std::string_view ip, int len) {
  return model::InterfaceAddress{.ip = Ip(ip), .prefix_len = len};
}

inline model::MacAddress Mac(std::string_view text) {
  auto mac = model::ParseMac(text);
  EXPECT_TRUE(mac.has_value()) << text;
  return mac.value_or(model::MacAddress{});
}

template <typename T>
int CountOf(const std::vector<T>& v, const T& x) {
  return static_cast<int>(std::count(v.begin(), v.end(), x));
}

}  // namespace egret::netlink::testing
