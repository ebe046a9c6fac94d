#include "agent/egress_applier.h"

#include <algorithm>

#include "adapters/announce/announce.h"
#include "common/file_util.h"
#include "common/log.h"
#include "doc/json.h"

namespace egret::agent {
namespace {

using core::egress::kEgressTableBase;
using core::egress::kMaxEgressTargets;

bool IsEgressTable(uint32_t table) {
  return table >= kEgressTableBase && table < kEgressTableBase + kMaxEgressTargets;
}

model::InterfaceAddress HostAddress(const model::IpAddress& ip) { return {ip, ip.bits()}; }

void Remember(Status* first, const Status& st) {
  if (!st.ok() && first->ok()) *first = st;
}

}  // namespace

EgressApplier::EgressApplier(netlink::Rtnl* rtnl, std::string underlay_device,
                             std::string held_path)
    : rtnl_(rtnl), device_(std::move(underlay_device)), held_path_(std::move(held_path)) {
  auto text = ReadFile(held_path_);
  if (!text.ok()) return;
  auto v = doc::ParseJson(*text);
  if (!v.ok() || !v->is_list()) return;
  for (const doc::Value& ip : v->as_list()) {
    if (!ip.is_string()) continue;
    if (auto a = model::IpAddress::Parse(ip.as_string())) held_.insert(*a);
  }
}

Status EgressApplier::Apply(const core::egress::EgressDatapath& dp,
                            const std::string& underlay_device) {
  Status first;
  if (underlay_device != device_) {
    for (const model::IpAddress& ip : held_) {
      Remember(&first, IgnoreNotFound(rtnl_->DeleteAddress(device_, HostAddress(ip))));
    }
    EGRET_LOG(kInfo, "egress") << "underlay interface " << device_ << " -> " << underlay_device
                               << ": EIPs move";
    held_.clear();
    wanted_.clear();
    device_ = underlay_device;
    SaveHeld();
  }
  // EIPs first: a takeover should hold and announce the address before anything else.
  Remember(&first, ApplyEips(dp.eips));
  Remember(&first, ApplyRoutes(dp.routes));
  Remember(&first, ApplyRules(dp.rules));
  return first;
}

Status EgressApplier::ApplyRules(const std::vector<model::Rule>& want) {
  Status first;
  for (model::Family f : core::egress::kFamilies) {
    auto have = rtnl_->ListRules(f);
    if (!have.ok()) return have.status();
    for (const model::Rule& r : want) {
      if (r.family != f) continue;
      if (std::find(have->begin(), have->end(), r) == have->end()) {
        Remember(&first, rtnl_->AddRule(r));
      }
    }
    for (const model::Rule& r : *have) {
      bool ours = r.priority >= model::kRulePriorityMin && r.priority <= model::kRulePriorityMax;
      if (ours && std::find(want.begin(), want.end(), r) == want.end()) {
        Remember(&first, IgnoreNotFound(rtnl_->DeleteRule(r)));
      }
    }
  }
  return first;
}

Status EgressApplier::ApplyRoutes(const std::vector<model::Route>& want) {
  Status first;
  for (const model::Route& r : want) Remember(&first, rtnl_->ReplaceRoute(r));
  for (model::Family f : core::egress::kFamilies) {
    auto have = rtnl_->ListRoutes(f, {.protocol = model::kRouteProtocol});
    if (!have.ok()) return have.status();
    for (const model::Route& r : *have) {
      if (!IsEgressTable(r.table)) continue;
      // By key (table, destination): the kernel's copy carries details the plan leaves out.
      bool wanted = std::any_of(want.begin(), want.end(), [&](const model::Route& w) {
        return w.table == r.table && w.dst == r.dst;
      });
      if (!wanted) {
        Remember(&first, IgnoreNotFound(rtnl_->DeleteRoute(r)));
      }
    }
  }
  return first;
}

Status EgressApplier::ApplyEips(const std::vector<model::IpAddress>& want) {
  auto have = rtnl_->ListAddresses(device_);
  if (!have.ok()) return have.status();
  auto present = [&](const model::IpAddress& ip) {
    return std::any_of(have->begin(), have->end(),
                       [&](const netlink::DeviceAddress& a) { return a.address.ip == ip; });
  };
  Status first;
  const std::set<model::IpAddress> before = held_;
  std::set<model::IpAddress> wanted;
  for (const model::IpAddress& ip : want) {
    held_.insert(ip);
    bool fresh = !wanted_.contains(ip);
    if (!present(ip)) {
      // Deprecated: the node keeps its own address as the source of what it sends (heartbeats,
      // its own connections); the kernel would otherwise prefer a /128 EIP for IPv6 peers.
      Status st = rtnl_->AddAddress(device_, HostAddress(ip), /*deprecated=*/true);
      Remember(&first, st);
      if (!st.ok()) continue;
      fresh = true;
    }
    wanted.insert(ip);
    if (!fresh) continue;
    EGRET_LOG(kInfo, "egress") << "holding EIP " << ip.ToString() << " on " << device_;
    // Neighbours must learn the new owner at once, not when their cache entry expires.
    if (Status a = announce::Announce(device_, ip, 3); !a.ok()) {
      EGRET_LOG(kWarn, "egress") << "announce: " << a.message();
    }
  }
  wanted_ = std::move(wanted);
  for (auto it = held_.begin(); it != held_.end();) {
    if (std::find(want.begin(), want.end(), *it) != want.end()) {
      ++it;
      continue;
    }
    if (present(*it)) {
      Status st = IgnoreNotFound(rtnl_->DeleteAddress(device_, HostAddress(*it)));
      Remember(&first, st);
      if (!st.ok()) {
        ++it;
        continue;
      }
      EGRET_LOG(kInfo, "egress") << "released EIP " << it->ToString() << " from " << device_;
    }
    it = held_.erase(it);
  }
  if (held_ != before) SaveHeld();
  return first;
}

void EgressApplier::SaveHeld() {
  doc::Value list = doc::Value::EmptyList();
  for (const model::IpAddress& ip : held_) list.Append(ip.ToString());
  std::string text = doc::ToJson(list);
  if (Status st = WriteFileAtomic(held_path_, text); !st.ok()) {
    EGRET_LOG(kWarn, "egress") << "cannot persist the held EIPs: " << st.message();
  }
}

}  // namespace egret::agent
