// PodBindings: which pod (namespace/name) each attachment this node plumbed belongs to, and its
// addresses - the agent's own record, known at CNI ADD, before the Pod's status reaches the
// controller. The policy renderer attaches a pod's programs to these addresses, and holds pods
// the controller has not computed yet (core/netpol/render_nft.h, "pending"). Persisted as JSON
// in the state directory (replaced atomically), so a restarted agent keeps holding them.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/netpol/render_nft.h"

namespace egret::agent {

class PodBindings {
 public:
  // Loads `path` when it exists; an unreadable file is logged and ignored (its pods are then
  // not held, as before bindings existed).
  explicit PodBindings(std::string path);

  Status Put(const std::string& container_id, const std::string& ifname,
             core::netpol::LocalPod pod);
  Status Remove(const std::string& container_id, const std::string& ifname);
  // Keeps only the attachments in `valid` (container id, ifname).
  Status Retain(const std::set<std::pair<std::string, std::string>>& valid);

  // Every bound pod, sorted by attachment.
  std::vector<core::netpol::LocalPod> All() const;

 private:
  Status SaveLocked() const;

  const std::string path_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, core::netpol::LocalPod> pods_;
};

}  // namespace egret::agent
