// Agent: one per node. Wires the cluster view, node registration, the pod network (CNI), the
// network plan and the node firewall, and reconciles level-triggered: at start, on every change
// of the view, and on a periodic resync. It never flushes the datapath on start or stop: a
// restarted agent adopts what is there, so pod traffic does not stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/netlink/rtnl.h"
#include "adapters/nftables/nft_driver.h"
#include "agent/cluster_view.h"
#include "agent/egress_applier.h"
#include "agent/egress_view.h"
#include "agent/failover_monitor.h"
#include "agent/node_registrar.h"
#include "agent/pod_network.h"
#include "agent/policy_view.h"
#include "api/frame_server.h"
#include "core/netplan/netplan.h"
#include "core/nodefw/node_firewall.h"
#include "core/nodefw/ruleset_delta.h"

namespace egret::agent {

struct AgentConfig {
  std::string node_name;
  api::Address server;
  std::string token;
  std::vector<api::Address> listen;
  std::string state_dir;
  core::netplan::NetConfig net;
  std::vector<model::IpAddress> node_ips;
  std::chrono::milliseconds resync{30000};
  std::chrono::milliseconds heartbeat{10000};  // Node status refresh
  uint16_t heartbeat_port = 7947;              // failover heartbeats (UDP)
  liveness::LivenessConfig liveness;
};

class Agent : public api::FrameHandler {
 public:
  static StatusOr<std::unique_ptr<Agent>> Create(AgentConfig config);
  ~Agent() override;

  Status Start();
  void Stop();
  // Blocks until Stop(); runs the reconcile loop on the calling thread.
  void RunReconcileLoop();
  // One reconcile pass. Exposed for tests and the `status` op. `resync`: the pass is the periodic
  // one, not caused by a change; it replaces the firewall table if element updates were applied
  // since the last replace, so that any drift they might have left is healed.
  Status Reconcile(bool resync = false);

  doc::Value Handle(const doc::Value& request) override;

 private:
  explicit Agent(AgentConfig config) : config_(std::move(config)) {}
  void Trigger();
  std::vector<model::Cidr> OwnPodCidrs() const;
  Status ReconcileFirewall(const ViewSnapshot& view, const core::netplan::NodeNet& self,
                           const core::egress::EgressDatapath& egress, bool resync);
  // Brings table inet egret to `script` (rendered from `cfg`): element updates only when its
  // structure equals the applied one's, else a replace of the whole table. Needs fw_mu_.
  Status ApplyFirewall(nodefw::NodeFirewallConfig cfg, const std::string& script, bool resync);
  // One transaction of `delete element` / `add element` commands. Needs fw_mu_.
  Status ApplyFirewallElements(const nodefw::RulesetDelta& delta);
  // After OnPodAdded changed dispatch elements, re-derives applied_fw_ from what is in the
  // kernel: applied_fw_cfg_ with the policy of applied_policy_. Needs fw_mu_.
  void RefreshPatchedFirewall();
  // CNI ADD's hook: gives a new pod's addresses their policy programs, or holds them as pending
  // when the policy state does not list the pod yet, in the applied table (one transaction).
  Status OnPodAdded(const core::netpol::LocalPod& pod);
  // The egress datapath for the current egress state, view and liveness.
  core::egress::EgressDatapath PlanEgress(const ViewSnapshot& view,
                                          const core::netplan::NetConfig& net,
                                          EgressSnapshot* egress,
                                          std::vector<std::optional<std::string>>* active);
  // The configured network settings with this node's label overrides applied (the underlay
  // interface: node label egret.io/underlay-interface).
  core::netplan::NetConfig EffectiveNet(const ViewSnapshot& view);
  std::vector<PeerAddresses> Peers() const;
  doc::Value StatusReply();

  AgentConfig config_;
  std::unique_ptr<netlink::Rtnl> rtnl_;
  std::unique_ptr<nftables::NftDriver> nft_;
  std::unique_ptr<ClusterView> view_;
  std::unique_ptr<NodeRegistrar> registrar_;
  std::unique_ptr<PodNetwork> pods_;
  std::unique_ptr<EgressView> egress_view_;
  std::unique_ptr<PolicyView> policy_view_;
  std::unique_ptr<FailoverMonitor> failover_;
  std::unique_ptr<EgressApplier> egress_applier_;
  std::unique_ptr<api::FrameServer> server_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;
  std::atomic<bool> stopping_{false};
  // The firewall as applied: guarded by fw_mu_, which also serialises every use of nft_ (the
  // reconcile loop and CNI ADDs both program it). Taken before mu_, never after.
  std::mutex fw_mu_;
  bool firewall_applied_ = false;
  // The firewall in the kernel, split into structure and set contents; nullopt when unknown
  // (never applied, or the last apply failed): the next apply then replaces the table.
  std::optional<nodefw::SplitRuleset> applied_fw_;
  nodefw::NodeFirewallConfig applied_fw_cfg_;  // applied_fw_'s source, without the policy
  bool applied_fw_patched_ = false;            // OnPodAdded changed elements since applied_fw_
  int64_t fw_full_applies_ = 0;                // transactions that replaced the table
  int64_t fw_delta_applies_ = 0;               // transactions of element changes only
  int64_t fw_deltas_since_full_ = 0;
  core::netpol::PolicyRenderInput applied_policy_;
  core::netpol::PolicyDispatch applied_dispatch_;
  size_t policy_chains_ = 0;
  int64_t policy_version_ = 0;
  std::string last_error_;
  int64_t reconciles_ = 0;  // passes that programmed everything
  int64_t passes_ = 0;      // passes that ran to the end, with or without an error
  // The last egress decisions, for the status op.
  std::vector<std::optional<std::string>> last_active_;
  core::egress::NodeEgressState last_egress_;
  std::vector<std::string> egress_problems_;
  std::set<model::IpAddress> last_held_;
  std::string bad_underlay_label_;  // logged once
};

int RunAgent(const std::vector<std::string>& args);

}  // namespace egret::agent
