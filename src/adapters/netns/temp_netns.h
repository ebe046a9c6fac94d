// A named network namespace that lives exactly as long as an object: for tests, labs and any
// caller that needs a throwaway namespace and must not leak it, also when it fails half-way.
#pragma once

#include <string>
#include <string_view>

#include "adapters/netns/netns.h"
#include "common/status.h"

namespace egret::netns {

class TempNetNs {
 public:
  // Creates "<prefix><pid>-<random hex>-<tag>" (unique to this process and call) and opens it.
  static StatusOr<TempNetNs> Create(std::string_view tag, std::string_view prefix = "egt-");

  TempNetNs(TempNetNs&& other) noexcept;
  TempNetNs& operator=(TempNetNs&& other) noexcept;
  TempNetNs(const TempNetNs&) = delete;
  TempNetNs& operator=(const TempNetNs&) = delete;
  // Deletes the namespace (errors are ignored: there is no one to report them to).
  ~TempNetNs();

  const std::string& name() const { return name_; }
  const NetNs& ns() const { return ns_; }

 private:
  TempNetNs(std::string name, NetNs ns) : name_(std::move(name)), ns_(std::move(ns)) {}
  std::string name_;  // "" once moved from
  NetNs ns_;
};

}  // namespace egret::netns
