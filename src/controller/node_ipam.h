// NodeIpam: gives every Node pod CIDRs (spec.podCIDRs) from the cluster CIDRs, like the
// Kubernetes node-ipam controller. It follows the store's Node events (list, then watch; relist
// on Gone) and writes with optimistic concurrency, so a concurrent change of the Node is
// retried rather than overwritten. The allocation itself is the pure PodCidrAllocator: what is
// free is recomputed from the Nodes, so a restarted controller continues where it stopped.
#pragma once

#include "common/background_thread.h"


#include "core/ipam/pod_cidr_allocator.h"
#include "ports/datastore.h"

namespace egret::controller {

class NodeIpam {
 public:
  NodeIpam(ports::Datastore* store, core::ipam::PodCidrAllocator allocator)
      : store_(store), allocator_(std::move(allocator)) {}
  ~NodeIpam() { Stop(); }

  void Start();
  void Stop();

  // One pass over all Nodes: allocates for those without pod CIDRs. Exposed for tests.
  Status SyncAll();

 private:
  void Run();
  // Allocates for one stored Node if it needs it; Conflict when it changed meanwhile.
  Status SyncNode(const ports::StoredObject& node, std::vector<model::Cidr>* assigned);

  ports::Datastore* store_;
  core::ipam::PodCidrAllocator allocator_;
  BackgroundThread loop_;
};

}  // namespace egret::controller
