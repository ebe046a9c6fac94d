#include "agent/pod_bindings.h"

#include "common/file_util.h"
#include "common/log.h"
#include "doc/json.h"

namespace egret::agent {

PodBindings::PodBindings(std::string path) : path_(std::move(path)) {
  auto text = ReadFile(path_);
  if (!text.ok()) {
    if (text.status().code() != Code::kNotFound) {
      EGRET_LOG(kWarn, "agent") << "ignoring " << text.status().message();
    }
    return;
  }
  auto v = doc::ParseJson(*text);
  if (!v.ok() || !v->is_list()) {
    EGRET_LOG(kWarn, "agent") << "ignoring unreadable " << path_;
    return;
  }
  for (const doc::Value& item : v->as_list()) {
    auto field = [&](const char* key) {
      const doc::Value* f = item.Find(key);
      return f && f->is_string() ? f->as_string() : std::string();
    };
    core::netpol::LocalPod pod{field("namespace"), field("name"), {}};
    if (const doc::Value* ips = item.Find("addresses"); ips && ips->is_list()) {
      for (const doc::Value& ip : ips->as_list()) {
        auto parsed = ip.is_string() ? model::IpAddress::Parse(ip.as_string()) : std::nullopt;
        if (parsed) pod.addresses.push_back(*parsed);
      }
    }
    if (pod.namespace_.empty() || pod.name.empty()) continue;
    pods_[{field("containerID"), field("ifname")}] = std::move(pod);
  }
}

Status PodBindings::SaveLocked() const {
  doc::Value list = doc::Value::EmptyList();
  for (const auto& [key, pod] : pods_) {
    doc::Value v = doc::Value::EmptyMap();
    v.Set("containerID", key.first);
    v.Set("ifname", key.second);
    v.Set("namespace", pod.namespace_);
    v.Set("name", pod.name);
    doc::Value& ips = v.Set("addresses", doc::Value::EmptyList());
    for (const model::IpAddress& ip : pod.addresses) ips.Append(ip.ToString());
    list.Append(std::move(v));
  }
  return WriteFileAtomic(path_, doc::ToJson(list));
}

Status PodBindings::Put(const std::string& container_id, const std::string& ifname,
                        core::netpol::LocalPod pod) {
  std::lock_guard lock(mu_);
  pods_[{container_id, ifname}] = std::move(pod);
  return SaveLocked();
}

Status PodBindings::Remove(const std::string& container_id, const std::string& ifname) {
  std::lock_guard lock(mu_);
  if (pods_.erase({container_id, ifname}) == 0) return Status::Ok();
  return SaveLocked();
}

Status PodBindings::Retain(const std::set<std::pair<std::string, std::string>>& valid) {
  std::lock_guard lock(mu_);
  size_t erased = std::erase_if(pods_, [&](const auto& kv) { return !valid.contains(kv.first); });
  return erased ? SaveLocked() : Status::Ok();
}

std::vector<core::netpol::LocalPod> PodBindings::All() const {
  std::lock_guard lock(mu_);
  std::vector<core::netpol::LocalPod> out;
  out.reserve(pods_.size());
  for (const auto& [key, pod] : pods_) out.push_back(pod);
  return out;
}

}  // namespace egret::agent
