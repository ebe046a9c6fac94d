#include "adapters/netns/temp_netns.h"

#include <unistd.h>

#include <cstdio>
#include <random>
#include <utility>

namespace egret::netns {

StatusOr<TempNetNs> TempNetNs::Create(std::string_view tag, std::string_view prefix) {
  std::random_device rd;
  char unique[48];
  std::snprintf(unique, sizeof(unique), "%d-%08x-", static_cast<int>(::getpid()), rd());
  std::string name = std::string(prefix) + unique + std::string(tag);
  RETURN_IF_ERROR(netns::Create(name));
  auto ns = NetNs::Open(name);
  if (!ns.ok()) {
    (void)Delete(name);
    return ns.status();
  }
  return TempNetNs(std::move(name), std::move(ns).value());
}

TempNetNs::TempNetNs(TempNetNs&& other) noexcept
    : name_(std::exchange(other.name_, "")), ns_(std::move(other.ns_)) {}

TempNetNs& TempNetNs::operator=(TempNetNs&& other) noexcept {
  if (this != &other) {
    if (!name_.empty()) (void)Delete(name_);
    name_ = std::exchange(other.name_, "");
    ns_ = std::move(other.ns_);
  }
  return *this;
}

TempNetNs::~TempNetNs() {
  if (!name_.empty()) (void)Delete(name_);
}

}  // namespace egret::netns
