// ClusterView: the agent's picture of the cluster it needs for pod networking — every Node's
// underlay addresses and pod CIDRs, and the cluster's network facts (clusterInfo). It lists and
// watches the controller's API, relists on Gone, reconnects when the controller is away, and
// persists the last view to disk: a restarted agent programs the datapath from it even while
// the controller is down.
#pragma once

#include "common/background_thread.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "api/transport.h"
#include "core/netplan/netplan.h"

namespace egret::agent {

struct ClusterFacts {
  std::vector<model::Cidr> cluster_cidrs;
  std::vector<model::Cidr> service_cidrs;
  std::vector<model::Cidr> extra_internal;
};

struct ViewSnapshot {
  ClusterFacts facts;
  std::map<std::string, core::netplan::NodeNet> nodes;  // by name
  std::map<std::string, std::map<std::string, std::string>> node_labels;
  bool from_controller = false;  // false: loaded from disk, not yet confirmed
};

class ClusterView {
 public:
  // `on_change` runs on the view's thread after every change of the snapshot.
  ClusterView(api::Address server, std::string token, std::string state_path,
              std::function<void()> on_change)
      : server_(std::move(server)),
        token_(std::move(token)),
        state_path_(std::move(state_path)),
        on_change_(std::move(on_change)) {}
  ~ClusterView() { Stop(); }

  // Loads the persisted view (if any) and starts following the controller.
  void Start();
  void Stop();
  ViewSnapshot Snapshot() const;

 private:
  void Run();
  Status Follow();  // one list + watch session; returns when it breaks
  void Replace(ViewSnapshot next);
  Status Persist(const ViewSnapshot& s) const;
  void LoadPersisted();

  api::Address server_;
  std::string token_;
  std::string state_path_;
  std::function<void()> on_change_;
  mutable std::mutex mu_;
  ViewSnapshot snap_;
  BackgroundThread loop_;
};

// Node document → NodeNet (InternalIP addresses, spec.podCIDRs). Pure; exposed for tests.
core::netplan::NodeNet NodeNetOf(const doc::Value& node);

}  // namespace egret::agent
