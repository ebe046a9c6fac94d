// Helpers for the kernel tests of this folder (test-only, header-only): throwaway namespaces
// come from the netns adapter; `ip` is run only to build the lab around the code under test.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "adapters/nftables/nft_driver.h"
#include "common/status.h"
#include "doc/value.h"

namespace egret::nftables::testing {

#define EGRET_SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: network namespaces and nftables"

// A driver bound to `ns`: created on a thread inside it; usable from the test's thread after.
inline StatusOr<std::unique_ptr<NftDriver>> DriverIn(const netns::NetNs& ns) {
  std::unique_ptr<NftDriver> driver;
  Status st = netns::RunIn(ns, [&]() -> Status {
    ASSIGN_OR_RETURN(driver, NftDriver::Create());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return driver;
}

// A throwaway namespace plus a driver inside it.
struct NftNs {
  netns::TempNetNs ns;
  std::unique_ptr<NftDriver> nft;
};

inline StatusOr<NftNs> NewNftNs(std::string_view tag) {
  ASSIGN_OR_RETURN(netns::TempNetNs ns, netns::TempNetNs::Create(tag));
  ASSIGN_OR_RETURN(std::unique_ptr<NftDriver> nft, DriverIn(ns.ns()));
  return NftNs{std::move(ns), std::move(nft)};
}

// The listing without "handle" members: handles are renumbered when a table is re-created, so
// two listings of the same ruleset compare equal only without them.
inline doc::Value WithoutHandles(doc::Value v) {
  if (v.is_map()) {
    v.Erase("handle");
    for (doc::Member& m : v.as_map()) m.value = WithoutHandles(std::move(m.value));
  } else if (v.is_list()) {
    for (doc::Value& item : v.as_list()) item = WithoutHandles(std::move(item));
  }
  return v;
}

// The objects of a listing of one kind ("set", "chain", "rule"), in listing order.
inline std::vector<doc::Value> Objects(const doc::Value& listing, std::string_view kind) {
  std::vector<doc::Value> out;
  const doc::Value* items = listing.Find("nftables");
  if (items == nullptr || !items->is_list()) return out;
  for (const doc::Value& item : items->as_list()) {
    if (const doc::Value* obj = item.Find(kind)) out.push_back(*obj);
  }
  return out;
}

// Runs a lab command (`ip ...`); returns its combined output, or an error with that output.
inline StatusOr<std::string> Sh(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return InternalError("popen " + command);
  std::array<char, 512> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int rc = ::pclose(p);
  if (rc != 0) return InternalError(command + " failed (" + std::to_string(rc) + "): " + out);
  return out;
}

}  // namespace egret::nftables::testing
